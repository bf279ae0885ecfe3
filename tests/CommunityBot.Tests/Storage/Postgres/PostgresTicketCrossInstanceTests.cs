using CommunityBot.Storage.Postgres;
using CommunityBot.Tickets;
using Npgsql;

namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>
/// <see cref="PostgresTicketStore"/> on several instances sharing one database, each with its own
/// <see cref="NpgsqlDataSource"/>: numbers per day unique and gap-free whoever creates and whatever rolls back, concurrent
/// changes to one ticket all applied, one submission filed once. Where two must meet, the test waits for PostgreSQL's own
/// report that one session is blocked by the other (<see cref="PostgresBlocking"/>).
/// </summary>
public sealed class PostgresTicketCrossInstanceTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private static readonly DateTime T0 = new(2026, 11, 23, 1, 0, 0, DateTimeKind.Utc);
    private static readonly DateTimeOffset LocalNow = new(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(8));

    private const int RaceJobs = 40;
    private const int RaceWorkers = 4;

    private readonly CancellationTokenSource _guard = new(TimeSpan.FromMinutes(2)); // against a hang, not a measure
    private NpgsqlDataSource _observer = null!;

    public async Task InitializeAsync()
    {
        if (PostgresTestServer.ConnectionString is null)
        {
            return;
        }

        _observer = database.NewDataSource();
        await using var command = _observer.CreateCommand("TRUNCATE tickets, ticket_reporters, ticket_submissions, ticket_counters");
        await command.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync()
    {
        _guard.Dispose();
        return Task.CompletedTask;
    }

    [PostgresFact]
    public async Task TwoInstances_RacingCreatesForOneDay_NumberOneToNWithoutGapOrDuplicate()
    {
        var (a, b) = (NewInstance(), NewInstance());

        var numbers = await RaceAsync(a, b, async (instance, job) => (await CreateAsync(instance, New($"{job}"), LocalNow)).Number);

        Assert.Equal(Enumerable.Range(1, RaceJobs).Select(n => $"WT20261123-{n:0000}"), numbers.Order(StringComparer.Ordinal));
        Assert.Equal(RaceJobs, (await a.Store.AllAsync(_guard.Token)).Count);
    }

    [PostgresFact]
    public async Task TwoInstances_SecondCreateOfTheDay_WaitsForTheFirstToCommit_AndTakesTheNextNumber()
    {
        var (a, b) = (NewInstance(), NewInstance());
        await using var connectionA = await a.Source.OpenConnectionAsync(_guard.Token);
        await using var transactionA = await connectionA.BeginTransactionAsync(_guard.Token);
        var first = await a.Store.CreateAsync(New("first"), LocalNow, transactionA, _guard.Token);

        await using var connectionB = await b.Source.OpenConnectionAsync(_guard.Token);
        await using var transactionB = await connectionB.BeginTransactionAsync(_guard.Token);
        var second = Task.Run(() => b.Store.CreateAsync(New("second"), LocalNow, transactionB, _guard.Token));
        await PostgresBlocking.WaitUntilBlockedAsync(_observer, connectionB.ProcessID, connectionA.ProcessID, second, _guard.Token);
        await transactionA.CommitAsync(_guard.Token);

        Assert.Equal("WT20261123-0001", first.Ticket.Number);
        Assert.Equal("WT20261123-0002", (await second).Ticket.Number);
        await transactionB.CommitAsync(_guard.Token);
    }

    [PostgresFact]
    public async Task TwoInstances_FirstCreateRollsBack_TheWaitingCreateTakesItsNumber()
    {
        var (a, b) = (NewInstance(), NewInstance());
        await CreateAsync(a, New("before"), LocalNow);
        await using var connectionA = await a.Source.OpenConnectionAsync(_guard.Token);
        await using var transactionA = await connectionA.BeginTransactionAsync(_guard.Token);
        var abandoned = await a.Store.CreateAsync(New("rolled back"), LocalNow, transactionA, _guard.Token);

        await using var connectionB = await b.Source.OpenConnectionAsync(_guard.Token);
        await using var transactionB = await connectionB.BeginTransactionAsync(_guard.Token);
        var waiting = Task.Run(() => b.Store.CreateAsync(New("after"), LocalNow, transactionB, _guard.Token));
        await PostgresBlocking.WaitUntilBlockedAsync(_observer, connectionB.ProcessID, connectionA.ProcessID, waiting, _guard.Token);
        await transactionA.RollbackAsync(_guard.Token);
        var after = await waiting;
        await transactionB.CommitAsync(_guard.Token);

        Assert.Equal("WT20261123-0002", abandoned.Ticket.Number);
        Assert.Equal("WT20261123-0002", after.Ticket.Number);
        Assert.Equal(["before", "after"], (await b.Store.AllAsync(_guard.Token)).Select(t => t.Description));
        Assert.Equal("WT20261123-0003", (await CreateAsync(a, New("next"), LocalNow)).Number);
    }

    [PostgresFact]
    public async Task TwoInstances_RollbacksAmongRacingCreates_LeaveNoGap()
    {
        var (a, b) = (NewInstance(), NewInstance());

        var outcomes = await RaceAsync(a, b, async (instance, job) =>
        {
            await using var connection = await instance.Source.OpenConnectionAsync(_guard.Token);
            await using var transaction = await connection.BeginTransactionAsync(_guard.Token);
            var created = await instance.Store.CreateAsync(New($"{job}"), LocalNow, transaction, _guard.Token);
            if (job % 3 == 0)
            {
                await transaction.RollbackAsync(_guard.Token); // e.g. the turn's state write conflicted
                return null;
            }

            await transaction.CommitAsync(_guard.Token);
            return created.Ticket.Number;
        });

        var committed = outcomes.OfType<string>().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(RaceJobs - ((RaceJobs + 2) / 3), committed.Count); // every third job (0, 3, …) rolled back
        Assert.Equal(Enumerable.Range(1, committed.Count).Select(n => $"WT20261123-{n:0000}"), committed);
        Assert.Equal(committed, (await a.Store.AllAsync(_guard.Token)).Select(t => t.Number));
    }

    [PostgresFact]
    public async Task TwoInstances_CreatesOnDifferentLocalDays_DoNotWaitForEachOther()
    {
        var (a, b) = (NewInstance(), NewInstance());
        var offset = TimeSpan.FromHours(8);
        await using var connectionA = await a.Source.OpenConnectionAsync(_guard.Token);
        await using var transactionA = await connectionA.BeginTransactionAsync(_guard.Token);
        var late = await a.Store.CreateAsync(New("late"), new DateTimeOffset(2026, 11, 23, 23, 59, 59, 999, offset), transactionA, _guard.Token);

        // Completes while the 23rd's counter is still held (a wait here would end only at the guard, failing the test).
        var early = await CreateAsync(b, New("early"), new DateTimeOffset(2026, 11, 24, 0, 0, 0, offset));
        await transactionA.CommitAsync(_guard.Token);

        Assert.Equal("WT20261123-0001", late.Ticket.Number);
        Assert.Equal("WT20261124-0001", early.Number);
        Assert.Equal("WT20261124-0002", (await CreateAsync(a, New("later"), new DateTimeOffset(2026, 11, 24, 0, 0, 0, offset).AddHours(1))).Number);
    }

    [PostgresFact]
    public async Task TwoInstances_ConcurrentUpdatesToOneTicket_TheSecondWaitsAndAppliesToTheFirstsResult()
    {
        var (a, b) = (NewInstance(), NewInstance());
        var ticket = await CreateAsync(a, New("lamp"), LocalNow);
        await using var connectionA = await a.Source.OpenConnectionAsync(_guard.Token);
        await using var transactionA = await connectionA.BeginTransactionAsync(_guard.Token);
        await a.Store.UpdateAsync(ticket.Number, t => Note(t, "signed by w1", TicketStatus.InProgress), transactionA, _guard.Token);

        await using var connectionB = await b.Source.OpenConnectionAsync(_guard.Token);
        await using var transactionB = await connectionB.BeginTransactionAsync(_guard.Token);
        var statusSeenByB = (TicketStatus?)null;
        var updateB = Task.Run(() => b.Store.UpdateAsync(ticket.Number, t =>
        {
            statusSeenByB = t.Status;
            t.CoHandlers.Add("w9");
            return Note(t, "co-handler added", null);
        }, transactionB, _guard.Token));
        await PostgresBlocking.WaitUntilBlockedAsync(_observer, connectionB.ProcessID, connectionA.ProcessID, updateB, _guard.Token);
        await transactionA.CommitAsync(_guard.Token);
        await updateB;
        await transactionB.CommitAsync(_guard.Token);

        Assert.Equal(TicketStatus.InProgress, statusSeenByB);
        var stored = await a.Store.FindAsync(ticket.Number, _guard.Token);
        Assert.Equal(TicketStatus.InProgress, stored?.Status);
        Assert.Equal(["w9"], stored?.CoHandlers);
        Assert.Equal(["signed by w1", "co-handler added"], stored?.Events.Select(e => e.Note));
        Assert.Equal(["lamp"], (await b.Store.SearchAsync(new TicketFilter { GridIds = [], HandlerIds = ["w9"] }, _guard.Token)).Select(t => t.Description));
    }

    [PostgresFact]
    public async Task TwoInstances_ManyUpdatesToOneTicketAtOnce_NoneIsLost()
    {
        var (a, b) = (NewInstance(), NewInstance());
        var ticket = await CreateAsync(a, New("lamp"), LocalNow);

        await RaceAsync(a, b, async (instance, job) =>
        {
            await using var connection = await instance.Source.OpenConnectionAsync(_guard.Token);
            await using var transaction = await connection.BeginTransactionAsync(_guard.Token);
            await instance.Store.UpdateAsync(ticket.Number, t => Note(t, $"{job}", null), transaction, _guard.Token);
            await transaction.CommitAsync(_guard.Token);
            return job;
        });

        var notes = (await b.Store.FindAsync(ticket.Number, _guard.Token))!.Events.Select(e => e.Note);
        Assert.Equal(Enumerable.Range(0, RaceJobs), notes.Select(int.Parse).Order());
    }

    [PostgresFact]
    public async Task TwoInstances_OneSubmissionFiledAtOnce_OneTicketAndNoNumberTaken()
    {
        var (a, b) = (NewInstance(), NewInstance());
        await using var connectionA = await a.Source.OpenConnectionAsync(_guard.Token);
        await using var transactionA = await connectionA.BeginTransactionAsync(_guard.Token);
        var first = await a.Store.CreateAsync(New("noise", "wecom|MSG-REDELIVERED"), LocalNow, transactionA, _guard.Token);

        await using var connectionB = await b.Source.OpenConnectionAsync(_guard.Token);
        await using var transactionB = await connectionB.BeginTransactionAsync(_guard.Token);
        var redelivered = Task.Run(() => b.Store.CreateAsync(New("noise again", "wecom|MSG-REDELIVERED"), LocalNow, transactionB, _guard.Token));
        await PostgresBlocking.WaitUntilBlockedAsync(_observer, connectionB.ProcessID, connectionA.ProcessID, redelivered, _guard.Token);
        await transactionA.CommitAsync(_guard.Token);
        var second = await redelivered;
        await transactionB.CommitAsync(_guard.Token);

        Assert.True(first.Opened);
        Assert.False(second.Opened);
        Assert.Equal(first.Ticket.Number, second.Ticket.Number);
        Assert.Equal("noise", second.Ticket.Description);
        Assert.Equal(["noise"], (await b.Store.AllAsync(_guard.Token)).Select(t => t.Description));
        Assert.Equal("WT20261123-0002", (await CreateAsync(b, New("next"), LocalNow)).Number);
    }

    [PostgresFact]
    public async Task TwoInstances_OneSubmission_FirstRollsBack_TheSecondOpensTheTicket()
    {
        var (a, b) = (NewInstance(), NewInstance());
        await using var connectionA = await a.Source.OpenConnectionAsync(_guard.Token);
        await using var transactionA = await connectionA.BeginTransactionAsync(_guard.Token);
        await a.Store.CreateAsync(New("noise", "wecom|MSG-RETRIED"), LocalNow, transactionA, _guard.Token);

        await using var connectionB = await b.Source.OpenConnectionAsync(_guard.Token);
        await using var transactionB = await connectionB.BeginTransactionAsync(_guard.Token);
        var retried = Task.Run(() => b.Store.CreateAsync(New("noise, retried", "wecom|MSG-RETRIED"), LocalNow, transactionB, _guard.Token));
        await PostgresBlocking.WaitUntilBlockedAsync(_observer, connectionB.ProcessID, connectionA.ProcessID, retried, _guard.Token);
        await transactionA.RollbackAsync(_guard.Token);
        var second = await retried;
        await transactionB.CommitAsync(_guard.Token);

        Assert.True(second.Opened);
        Assert.Equal("WT20261123-0001", second.Ticket.Number);
        Assert.Equal(second.Ticket.Number, await a.Store.TicketOfSubmissionAsync("wecom|MSG-RETRIED", _guard.Token));
    }

    // Jobs 0 … RaceJobs - 1 on two instances at once, each instance running RaceWorkers concurrent workers (a few
    // connections each, however many tests share the server): returns every job's result.
    private async Task<List<T>> RaceAsync<T>(
        (NpgsqlDataSource Source, PostgresTicketStore Store) a,
        (NpgsqlDataSource Source, PostgresTicketStore Store) b,
        Func<(NpgsqlDataSource Source, PostgresTicketStore Store), int, Task<T>> job)
    {
        var workers = Enumerable.Range(0, 2 * RaceWorkers).Select(worker => Task.Run(async () =>
        {
            var results = new List<T>();
            for (var next = worker; next < RaceJobs; next += 2 * RaceWorkers)
            {
                results.Add(await job(worker % 2 == 0 ? a : b, next));
            }

            return results;
        }));
        return (await Task.WhenAll(workers)).SelectMany(r => r).ToList();
    }

    // An "instance": its own data source (connection pool) and store over it.
    private (NpgsqlDataSource Source, PostgresTicketStore Store) NewInstance()
    {
        var source = database.NewDataSource();
        return (source, new PostgresTicketStore(source));
    }

    private async Task<Ticket> CreateAsync((NpgsqlDataSource Source, PostgresTicketStore Store) instance, Ticket ticket, DateTimeOffset localNow)
    {
        await using var connection = await instance.Source.OpenConnectionAsync(_guard.Token);
        await using var transaction = await connection.BeginTransactionAsync(_guard.Token);
        var created = await instance.Store.CreateAsync(ticket, localNow, transaction, _guard.Token);
        await transaction.CommitAsync(_guard.Token);
        return created.Ticket;
    }

    private static bool Note(Ticket ticket, string note, TicketStatus? status)
    {
        ticket.Status = status ?? ticket.Status;
        ticket.Events.Add(new TicketEvent { At = T0, Actor = "w1", Kind = TicketEventKind.Replied, Note = note });
        return true;
    }

    private static Ticket New(string description, string? submissionKey = null) => new()
    {
        Category = "市政管养",
        Description = description,
        AssigneeId = "w1",
        Status = TicketStatus.Pending,
        CreatedAt = T0,
        SignBy = T0.AddHours(4),
        CloseBy = T0.AddDays(3),
        ReporterKeys = ["wecom|alice"],
        SubmissionKey = submissionKey,
    };
}
