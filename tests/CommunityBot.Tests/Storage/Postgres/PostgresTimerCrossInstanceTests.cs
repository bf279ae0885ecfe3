using System.Collections.Concurrent;
using CommunityBot.Clocks;
using CommunityBot.Storage.Postgres;
using CommunityBot.Tickets;
using Npgsql;

namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>
/// <see cref="PostgresTicketTimerStore.ClaimDueAsync"/> on several instances sharing one database, each with its own
/// <see cref="NpgsqlDataSource"/>: a due timer is fired once, whichever instance is alive. A "fire" here is what the
/// escalation sweep's step writes in the claiming transaction: an event on the ticket and the timer's next state (nothing
/// pending), so the tickets' events count the fires that committed.
/// </summary>
public sealed class PostgresTimerCrossInstanceTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private static readonly DateTime T0 = new(2026, 11, 23, 1, 0, 0, DateTimeKind.Utc);
    private static readonly DateTimeOffset LocalNow = new(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(8));

    private readonly CancellationTokenSource _guard = new(TimeSpan.FromMinutes(2)); // against a hang, not a measure
    private NpgsqlDataSource _observer = null!;

    private sealed record Instance(string Name, NpgsqlDataSource Source, PostgresTicketStore Tickets, PostgresTicketTimerStore Timers);

    public async Task InitializeAsync()
    {
        if (PostgresTestServer.ConnectionString is null)
        {
            return;
        }

        _observer = database.NewDataSource();
        await using var command = _observer.CreateCommand("TRUNCATE ticket_timers, tickets, ticket_reporters, ticket_submissions, ticket_counters");
        await command.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync()
    {
        _guard.Dispose();
        return Task.CompletedTask;
    }

    [PostgresFact]
    public async Task TwoInstances_ClaimingAtOnce_NeverTakeTheSameTimer()
    {
        var (a, b) = (NewInstance("a"), NewInstance("b"));
        var numbers = await ArmAsync(a, Enumerable.Range(0, 6).Select(i => (DateTime?)T0.AddMinutes(-i)).ToArray());

        await using var connectionA = await a.Source.OpenConnectionAsync(_guard.Token);
        await using var transactionA = await connectionA.BeginTransactionAsync(_guard.Token);
        var claimedByA = await a.Timers.ClaimDueAsync(T0, 4, transactionA, _guard.Token);
        await using var connectionB = await b.Source.OpenConnectionAsync(_guard.Token);
        await using var transactionB = await connectionB.BeginTransactionAsync(_guard.Token);
        // Returns while A still holds its four (a wait here would end only at the guard, failing the test).
        var claimedByB = await b.Timers.ClaimDueAsync(T0, 10, transactionB, _guard.Token);

        Assert.Equal(numbers.AsEnumerable().Reverse().Take(4), claimedByA.Select(t => t.TicketNumber)); // soonest first
        Assert.Equal(numbers.AsEnumerable().Reverse().Skip(4), claimedByB.Select(t => t.TicketNumber));
        await transactionA.RollbackAsync(_guard.Token);
        await transactionB.RollbackAsync(_guard.Token);
    }

    [PostgresFact]
    public async Task ClaimedTimer_HolderRollsBack_TheOtherInstanceClaimsAndFiresIt()
    {
        var (a, b) = (NewInstance("a"), NewInstance("b"));
        var number = Assert.Single(await ArmAsync(a, T0));
        await using var connectionA = await a.Source.OpenConnectionAsync(_guard.Token);
        await using var transactionA = await connectionA.BeginTransactionAsync(_guard.Token);
        await FireAsync(a, Assert.Single(await a.Timers.ClaimDueAsync(T0, 10, transactionA, _guard.Token)), transactionA);

        Assert.Empty(await SweepAsync(b, T0)); // held by A's step, so skipped
        await transactionA.RollbackAsync(_guard.Token); // e.g. the step's outbox write failed

        Assert.Equal([number], await SweepAsync(b, T0));
        Assert.Equal(["fired by b"], await FiresAsync(number));
        Assert.Empty(await b.Timers.DueByAsync(T0.AddYears(1), _guard.Token));
    }

    [PostgresFact]
    public async Task ClaimedTimer_HolderKilledMidStep_TheOtherInstanceClaimsAndFiresIt()
    {
        var (a, b) = (NewInstance("a"), NewInstance("b"));
        var number = Assert.Single(await ArmAsync(a, T0));
        var connectionA = await a.Source.OpenConnectionAsync(_guard.Token);
        var transactionA = await connectionA.BeginTransactionAsync(_guard.Token);
        await FireAsync(a, Assert.Single(await a.Timers.ClaimDueAsync(T0, 10, transactionA, _guard.Token)), transactionA);

        await KillAsync(connectionA.ProcessID); // the instance dies before its commit

        Assert.Equal([number], await SweepAsync(b, T0));
        Assert.Equal(["fired by b"], await FiresAsync(number));
        await Assert.ThrowsAnyAsync<Exception>(() => transactionA.CommitAsync(_guard.Token));
        await connectionA.DisposeAsync();
    }

    [PostgresFact]
    public async Task Timer_DueWhileOneInstanceIsStopped_FiresOnceOnTheOther()
    {
        var (a, b) = (NewInstance("a"), NewInstance("b"));
        var number = Assert.Single(await ArmAsync(a, T0.AddHours(1)));
        await a.Source.DisposeAsync(); // A stops before the timer is due and does not come back

        Assert.Empty(await SweepAsync(b, T0.AddMinutes(59)));
        Assert.Equal([number], await SweepAsync(b, T0.AddHours(1)));
        Assert.Empty(await SweepAsync(b, T0.AddHours(2)));
        Assert.Equal(["fired by b"], await FiresAsync(number));
    }

    [PostgresFact]
    public async Task Timer_NotYetDue_IsNotClaimed_AndOneWithNothingPendingNever()
    {
        var a = NewInstance("a");
        var numbers = await ArmAsync(a, T0.AddSeconds(1), null);

        Assert.Empty(await SweepAsync(a, T0));
        Assert.Empty(await SweepAsync(a, T0.AddMilliseconds(999)));
        Assert.Equal([numbers[0]], await SweepAsync(a, T0.AddSeconds(1)));
        Assert.Empty(await SweepAsync(a, new DateTime(2100, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
    }

    [PostgresFact]
    public async Task Timer_OfATicketATurnIsChanging_IsSkippedUntilTheTurnCommits()
    {
        var (a, b) = (NewInstance("a"), NewInstance("b"));
        var number = Assert.Single(await ArmAsync(a, T0));
        await using var turnConnection = await a.Source.OpenConnectionAsync(_guard.Token);
        await using var turn = await turnConnection.BeginTransactionAsync(_guard.Token);
        await a.Tickets.UpdateAsync(number, t => Note(t, "signed by w1"), turn, _guard.Token);

        // Skipped, not waited for: a sweep holding the timer and waiting for the ticket, while the turn held the ticket and
        // went on to write the timer, would deadlock.
        Assert.Empty(await SweepAsync(b, T0));
        var timer = (await a.Timers.FindAsync(number, turn, _guard.Token))!;
        timer.NextAt = T0.AddMinutes(5); // the turn's change re-arms the clock
        await a.Timers.PutAsync(timer, turn, _guard.Token);
        await turn.CommitAsync(_guard.Token);

        Assert.Empty(await SweepAsync(b, T0));
        Assert.Equal([number], await SweepAsync(b, T0.AddMinutes(5)));
        Assert.Equal(["signed by w1", "fired by b"], (await b.Tickets.FindAsync(number, _guard.Token))!.Events.Select(e => e.Note));
    }

    [PostgresFact]
    public async Task HundredDueTimers_SweptByTwoInstancesAtOnce_EachFiresExactlyOnce()
    {
        const int Timers = 100;
        var (a, b) = (NewInstance("a"), NewInstance("b"));
        var numbers = await ArmAsync(a, Enumerable.Range(0, Timers).Select(i => (DateTime?)T0.AddSeconds(-i)).ToArray());
        var committed = new ConcurrentDictionary<string, int>();
        var rolledBack = new ConcurrentDictionary<string, bool>();

        // Three sweepers per instance, each claiming a few timers per transaction until none is left for it; the first
        // step of every tenth timer rolls back, which leaves it due for whoever claims next.
        var sweepers = Enumerable.Range(0, 6).Select(i => Task.Run(async () =>
        {
            var instance = i % 2 == 0 ? a : b;
            while (true)
            {
                await using var connection = await instance.Source.OpenConnectionAsync(_guard.Token);
                await using var transaction = await connection.BeginTransactionAsync(_guard.Token);
                var claimed = await instance.Timers.ClaimDueAsync(T0, 4, transaction, _guard.Token);
                if (claimed.Count == 0)
                {
                    return;
                }

                foreach (var timer in claimed)
                {
                    await FireAsync(instance, timer, transaction);
                }

                if (claimed.Any(t => int.Parse(t.TicketNumber[^4..]) % 10 == 0 && rolledBack.TryAdd(t.TicketNumber, true)))
                {
                    await transaction.RollbackAsync(_guard.Token);
                    continue;
                }

                await transaction.CommitAsync(_guard.Token);
                foreach (var timer in claimed)
                {
                    committed.AddOrUpdate(timer.TicketNumber, 1, (_, n) => n + 1);
                }
            }
        }));
        await Task.WhenAll(sweepers);

        Assert.Equal(Timers / 10, rolledBack.Count);
        Assert.Equal(numbers.Order(StringComparer.Ordinal), committed.Keys.Order(StringComparer.Ordinal));
        Assert.All(committed.Values, n => Assert.Equal(1, n));
        await using var events = _observer.CreateCommand("""
            SELECT count(*) FROM tickets, json_array_elements(doc -> 'Events') e WHERE e ->> 'Note' LIKE 'fired by %' GROUP BY number
            """);
        var fires = new List<long>();
        await using (var reader = await events.ExecuteReaderAsync(_guard.Token))
        {
            while (await reader.ReadAsync(_guard.Token))
            {
                fires.Add(reader.GetInt64(0));
            }
        }

        Assert.Equal(Enumerable.Repeat(1L, Timers), fires);
        Assert.Empty(await a.Timers.DueByAsync(T0.AddYears(1), _guard.Token));
    }

    // An "instance": its own data source (connection pool) and stores over it.
    private Instance NewInstance(string name)
    {
        var source = database.NewDataSource();
        return new Instance(name, source, new PostgresTicketStore(source), new PostgresTicketTimerStore(source));
    }

    // Opens one ticket per entry, each with a timer next due then (null: nothing pending), in one commit.
    private async Task<List<string>> ArmAsync(Instance instance, params DateTime?[] nextAt)
    {
        await using var connection = await instance.Source.OpenConnectionAsync(_guard.Token);
        await using var transaction = await connection.BeginTransactionAsync(_guard.Token);
        var numbers = new List<string>();
        foreach (var next in nextAt)
        {
            var ticket = (await instance.Tickets.CreateAsync(New(), LocalNow, transaction, _guard.Token)).Ticket;
            await instance.Timers.PutAsync(new TicketTimer { TicketNumber = ticket.Number, NextAt = next }, transaction, _guard.Token);
            numbers.Add(ticket.Number);
        }

        await transaction.CommitAsync(_guard.Token);
        return numbers;
    }

    // One sweep as the wiring will run it: claim what is due, fire each in the claiming transaction, commit.
    private async Task<List<string>> SweepAsync(Instance instance, DateTime utc)
    {
        await using var connection = await instance.Source.OpenConnectionAsync(_guard.Token);
        await using var transaction = await connection.BeginTransactionAsync(_guard.Token);
        var claimed = await instance.Timers.ClaimDueAsync(utc, 50, transaction, _guard.Token);
        foreach (var timer in claimed)
        {
            await FireAsync(instance, timer, transaction);
        }

        await transaction.CommitAsync(_guard.Token);
        return claimed.Select(t => t.TicketNumber).ToList();
    }

    // The step: the ticket's event and the timer's next state, in the transaction that claimed the timer.
    private async Task FireAsync(Instance instance, TicketTimer timer, NpgsqlTransaction transaction)
    {
        Assert.NotNull(await instance.Tickets.UpdateAsync(timer.TicketNumber, t => Note(t, $"fired by {instance.Name}"), transaction, _guard.Token));
        timer.NextAt = null;
        await instance.Timers.PutAsync(timer, transaction, _guard.Token);
    }

    private async Task<List<string>> FiresAsync(string number)
    {
        var ticket = await new PostgresTicketStore(_observer).FindAsync(number, _guard.Token);
        return ticket!.Events.Select(e => e.Note).Where(n => n.StartsWith("fired by ", StringComparison.Ordinal)).ToList();
    }

    private Task KillAsync(int pid) => PostgresBlocking.KillAsync(_observer, pid, _guard.Token);

    private static bool Note(Ticket ticket, string note)
    {
        ticket.Events.Add(new TicketEvent { At = T0, Actor = "system", Kind = TicketEventKind.Escalated, Note = note });
        return true;
    }

    private static Ticket New() => new()
    {
        Category = "市政管养",
        Description = "lamp",
        AssigneeId = "w1",
        Status = TicketStatus.Pending,
        CreatedAt = T0,
        SignBy = T0.AddHours(4),
        CloseBy = T0.AddDays(3),
        ReporterKeys = ["wecom|alice"],
    };
}
