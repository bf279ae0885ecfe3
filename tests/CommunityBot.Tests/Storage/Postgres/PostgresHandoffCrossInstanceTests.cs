using CommunityBot.Storage.Postgres;
using CommunityBot.Tickets;
using Npgsql;

namespace CommunityBot.Tests.Storage.Postgres;

using Handoff = CommunityBot.Tickets.Handoff;

/// <summary>
/// <see cref="PostgresHandoffStore.ClaimDueAsync"/> on several instances sharing one database, each with its own data source:
/// the take-over expiry (hand back when idle, escalate a resident left unanswered) is done once, by whichever instance
/// sweeps, and a sweep that rolls back or dies leaves it due for the next. A hand-back here is the take-over removed and the
/// ticket's event, in the claiming transaction, as the desk's sweep will do it.
/// </summary>
public sealed class PostgresHandoffCrossInstanceTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private static readonly DateTime T0 = new(2026, 12, 3, 1, 0, 0, DateTimeKind.Utc);
    private static readonly DateTimeOffset LocalNow = new(2026, 12, 3, 9, 0, 0, TimeSpan.FromHours(8));
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan Answer = TimeSpan.FromMinutes(10);

    private readonly CancellationTokenSource _guard = new(TimeSpan.FromMinutes(2)); // against a hang, not a measure
    private NpgsqlDataSource _observer = null!;

    public async Task InitializeAsync()
    {
        if (PostgresTestServer.ConnectionString is null)
        {
            return;
        }

        _observer = database.NewDataSource();
        await using var command = _observer.CreateCommand("TRUNCATE handoffs, tickets, ticket_reporters, ticket_submissions, ticket_counters");
        await command.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync()
    {
        _guard.Dispose();
        return Task.CompletedTask;
    }

    [PostgresFact]
    public async Task Claim_TakesTheIdleAndTheUnanswered_NotTheLiveOrTheAlreadyEscalated()
    {
        var a = NewInstance("a");
        await TakeOverAsync(a, "g/idle", lastActivity: T0 - Idle, waitingSince: null);
        await TakeOverAsync(a, "g/live", lastActivity: T0.AddMinutes(-1), waitingSince: null);
        await TakeOverAsync(a, "g/unanswered", lastActivity: T0.AddMinutes(-12), waitingSince: T0 - Answer);
        await TakeOverAsync(a, "g/waiting-a-little", lastActivity: T0.AddMinutes(-5), waitingSince: T0.AddMinutes(-5));
        await TakeOverAsync(a, "g/escalated", lastActivity: T0.AddMinutes(-15), waitingSince: T0.AddMinutes(-15), escalated: true);

        await using var connection = await a.Source.OpenConnectionAsync(_guard.Token);
        await using var transaction = await connection.BeginTransactionAsync(_guard.Token);
        var claimed = await a.Handoffs.ClaimDueAsync(T0, Idle, Answer, 10, transaction, _guard.Token);

        Assert.Equal(["g/idle", "g/unanswered"], claimed.Select(h => h.ResidentKey)); // longest idle first
    }

    [PostgresFact]
    public async Task TwoInstancesSweepingAtOnce_TakeDisjointTakeOvers_WithoutWaiting()
    {
        var (a, b) = (NewInstance("a"), NewInstance("b"));
        for (var i = 0; i < 6; i++)
        {
            await TakeOverAsync(a, $"g/u{i}", lastActivity: T0 - Idle - TimeSpan.FromMinutes(i), waitingSince: null);
        }

        await using var connectionA = await a.Source.OpenConnectionAsync(_guard.Token);
        await using var transactionA = await connectionA.BeginTransactionAsync(_guard.Token);
        var claimedByA = await a.Handoffs.ClaimDueAsync(T0, Idle, Answer, 4, transactionA, _guard.Token);
        await using var connectionB = await b.Source.OpenConnectionAsync(_guard.Token);
        await using var transactionB = await connectionB.BeginTransactionAsync(_guard.Token);
        // Returns while A still holds its four (a wait here would end only at the guard, failing the test).
        var claimedByB = await b.Handoffs.ClaimDueAsync(T0, Idle, Answer, 10, transactionB, _guard.Token);

        Assert.Equal(["g/u5", "g/u4", "g/u3", "g/u2"], claimedByA.Select(h => h.ResidentKey));
        Assert.Equal(["g/u1", "g/u0"], claimedByB.Select(h => h.ResidentKey));
    }

    [PostgresFact]
    public async Task ManySweepsOnTwoInstances_HandEachTakeOverBackOnce()
    {
        var (a, b) = (NewInstance("a"), NewInstance("b"));
        const int Count = 40;
        var numbers = new List<string>();
        for (var i = 0; i < Count; i++)
        {
            numbers.Add(await TakeOverAsync(a, $"g/u{i}", lastActivity: T0 - Idle, waitingSince: null));
        }

        // Small batches, so the sweeps overlap: each claims, hands back in its transaction, commits, and goes on.
        var sweeps = new[] { a, b, a, b }.Select(instance => Task.Run(async () =>
        {
            var handedBack = new List<string>();
            while (await SweepAsync(instance, 3) is { Count: > 0 } batch)
            {
                handedBack.AddRange(batch);
            }

            return handedBack;
        })).ToList();
        var all = (await Task.WhenAll(sweeps)).SelectMany(s => s).ToList();

        Assert.Equal(Count, all.Count);
        Assert.Equal(Count, all.Distinct().Count());
        Assert.Empty(await a.Handoffs.AllAsync(_guard.Token));
        foreach (var number in numbers)
        {
            Assert.Single(await HandBacksAsync(number)); // the ticket's event once, whichever instance did it
        }
    }

    [PostgresFact]
    public async Task SweepKilledMidHandBack_TheOtherInstanceHandsItBackOnce()
    {
        var (a, b) = (NewInstance("a"), NewInstance("b"));
        var number = await TakeOverAsync(a, "g/u1", lastActivity: T0 - Idle, waitingSince: null);

        var connectionA = await a.Source.OpenConnectionAsync(_guard.Token);
        var transactionA = await connectionA.BeginTransactionAsync(_guard.Token);
        var claimed = Assert.Single(await a.Handoffs.ClaimDueAsync(T0, Idle, Answer, 10, transactionA, _guard.Token));
        await HandBackAsync(a, claimed, transactionA); // done, but not committed: then the instance dies
        Assert.Empty(await SweepAsync(b, 10)); // held by A until then
        await KillAsync(connectionA.ProcessID);

        Assert.Equal(["g/u1"], await SweepAsync(b, 10));
        Assert.Equal(["handed back by b"], await HandBacksAsync(number));
    }

    // An "instance": its own data source (connection pool) and stores over it.
    private Instance NewInstance(string name)
    {
        var source = database.NewDataSource();
        return new Instance(name, source, new PostgresTicketStore(source), new PostgresHandoffStore(source));
    }

    // Opens a ticket and its take-over, in one commit; returns the ticket's number.
    private async Task<string> TakeOverAsync(Instance instance, string residentKey, DateTime lastActivity, DateTime? waitingSince, bool escalated = false)
    {
        await using var connection = await instance.Source.OpenConnectionAsync(_guard.Token);
        await using var transaction = await connection.BeginTransactionAsync(_guard.Token);
        var ticket = (await instance.Tickets.CreateAsync(NewTicket(), LocalNow, transaction, _guard.Token)).Ticket;
        await instance.Handoffs.PutAsync(new Handoff
        {
            ResidentKey = residentKey,
            WorkerKey = "wecom/p-w1/w1",
            WorkerId = "w1",
            TicketNumber = ticket.Number,
            StartedAt = T0.AddHours(-1),
            LastActivityAt = lastActivity,
            ResidentWaitingSince = waitingSince,
            Escalated = escalated,
        }, transaction, _guard.Token);
        await transaction.CommitAsync(_guard.Token);
        return ticket.Number;
    }

    // One sweep as the desk will run it: claim what is due, hand each back in the claiming transaction, commit.
    private async Task<List<string>> SweepAsync(Instance instance, int limit)
    {
        await using var connection = await instance.Source.OpenConnectionAsync(_guard.Token);
        await using var transaction = await connection.BeginTransactionAsync(_guard.Token);
        var claimed = await instance.Handoffs.ClaimDueAsync(T0, Idle, Answer, limit, transaction, _guard.Token);
        foreach (var handoff in claimed)
        {
            await HandBackAsync(instance, handoff, transaction);
        }

        await transaction.CommitAsync(_guard.Token);
        return claimed.Select(h => h.ResidentKey).ToList();
    }

    private async Task HandBackAsync(Instance instance, Handoff handoff, NpgsqlTransaction transaction)
    {
        Assert.True(await instance.Handoffs.RemoveAsync(handoff.ResidentKey, transaction, _guard.Token));
        Assert.NotNull(await instance.Tickets.UpdateAsync(handoff.TicketNumber, t =>
        {
            t.Events.Add(new TicketEvent { At = T0, Actor = "system", Kind = TicketEventKind.HandedBack, Note = $"handed back by {instance.Name}" });
            return true;
        }, transaction, _guard.Token));
    }

    private async Task<List<string>> HandBacksAsync(string number)
    {
        var ticket = await new PostgresTicketStore(_observer).FindAsync(number, _guard.Token);
        return ticket!.Events.Where(e => e.Kind == TicketEventKind.HandedBack).Select(e => e.Note).ToList();
    }

    private Task KillAsync(int pid) => PostgresBlocking.KillAsync(_observer, pid, _guard.Token);

    private static Ticket NewTicket() => new()
    {
        Category = "市政管养",
        Description = "lamp",
        AssigneeId = "w1",
        Status = TicketStatus.InProgress,
        CreatedAt = T0.AddHours(-2),
        SignBy = T0.AddHours(4),
        CloseBy = T0.AddDays(3),
        ReporterKeys = ["wecom|alice"],
    };

    private sealed record Instance(string Name, NpgsqlDataSource Source, PostgresTicketStore Tickets, PostgresHandoffStore Handoffs);
}
