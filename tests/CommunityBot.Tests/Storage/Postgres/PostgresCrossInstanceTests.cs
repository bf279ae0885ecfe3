using CommunityBot.Conversation;
using CommunityBot.Storage.Postgres;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>
/// Several instances on one database, each with its own <see cref="NpgsqlDataSource"/> (its own connections): what the
/// database itself guarantees between them. Where two must meet, the test waits until PostgreSQL reports one session
/// blocked by the other (<see cref="PostgresBlocking"/>), so the overlap is certain rather than timed.
/// </summary>
public sealed class PostgresCrossInstanceTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly CancellationTokenSource _guard = new(TimeSpan.FromMinutes(2)); // against a hang, not a measure
    private NpgsqlDataSource _observer = null!;

    public async Task InitializeAsync()
    {
        if (PostgresTestServer.ConnectionString is null)
        {
            return;
        }

        _observer = database.NewDataSource();
        await using var command = _observer.CreateCommand("TRUNCATE bot_state, processed_messages");
        await command.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync()
    {
        _guard.Dispose();
        return Task.CompletedTask;
    }

    [PostgresFact]
    public async Task TwoInstances_TurnsFromTheSameReadCommitAtOnce_ExactlyOneWins()
    {
        var (a, b) = (NewInstance(), NewInstance());
        await a.Storage.WriteNowAsync(new Dictionary<string, object> { ["k"] = new StoredItem { ["Text"] = "before" } });
        var turnA = await HeldTurnAsync(a.Storage, "k", "A");
        var turnB = await HeldTurnAsync(b.Storage, "k", "B");

        await using var connectionA = await a.Source.OpenConnectionAsync();
        await using var transactionA = await connectionA.BeginTransactionAsync();
        await a.Storage.CommitTurnAsync(turnA, transactionA, _guard.Token);
        await using var connectionB = await b.Source.OpenConnectionAsync();
        await using var transactionB = await connectionB.BeginTransactionAsync();
        var commitB = b.Storage.CommitTurnAsync(turnB, transactionB, _guard.Token);
        await WaitUntilBlockedAsync(connectionB.ProcessID, connectionA.ProcessID, commitB);
        await transactionA.CommitAsync();

        await Assert.ThrowsAsync<StorageConflictException>(() => commitB);
        await transactionB.RollbackAsync();
        Assert.Equal("A", await TextAsync("k"));
    }

    [PostgresFact]
    public async Task ManyInstances_WriteTheSameItemFromTheSameRead_ExactlyOneWins()
    {
        var instances = Enumerable.Range(0, 4).Select(_ => NewInstance().Storage).ToList();
        await instances[0].WriteNowAsync(new Dictionary<string, object> { ["k"] = new StoredItem { ["Text"] = "before" } });
        var reads = new List<StoredItem>();
        foreach (var instance in instances)
        {
            reads.Add((StoredItem)(await instance.ReadAsync(["k"], _guard.Token))["k"]);
        }

        Assert.Single(reads.Select(r => r.ETag).Distinct());
        var writes = instances.Select((instance, i) => Task.Run(async () =>
        {
            reads[i]["Text"] = $"instance {i}";
            try
            {
                await instance.WriteNowAsync(new Dictionary<string, object> { ["k"] = reads[i] }, _guard.Token);
                return i;
            }
            catch (StorageConflictException)
            {
                return -1;
            }
        })).ToList();
        var outcomes = await Task.WhenAll(writes);

        var winner = Assert.Single(outcomes, o => o >= 0);
        Assert.Equal($"instance {winner}", await TextAsync("k"));
    }

    [PostgresFact]
    public async Task TwoInstances_SameProcessedIdAtOnce_OneCommitsAndTheOtherSeesADuplicate()
    {
        var (sourceA, sourceB) = (database.NewDataSource(), database.NewDataSource());
        var (a, b) = (new PostgresProcessedMessageLog(sourceA), new PostgresProcessedMessageLog(sourceB));
        var key = ProcessedMessageLog.KeyOf("wecom", "MSG-REDELIVERED");

        await using var connectionA = await sourceA.OpenConnectionAsync();
        await using var transactionA = await connectionA.BeginTransactionAsync();
        Assert.True(await a.AddAsync(transactionA, key, Start, _guard.Token));
        await using var connectionB = await sourceB.OpenConnectionAsync();
        await using var transactionB = await connectionB.BeginTransactionAsync();
        var addB = b.AddAsync(transactionB, key, Start, _guard.Token);
        await WaitUntilBlockedAsync(connectionB.ProcessID, connectionA.ProcessID, addB);
        await transactionA.CommitAsync();

        Assert.False(await addB);
        await transactionB.RollbackAsync();
        Assert.True(await b.ContainsAsync(key, _guard.Token));
    }

    [PostgresFact]
    public async Task TwoInstances_SameProcessedId_FirstRollsBack_TheSecondRecordsIt()
    {
        var (sourceA, sourceB) = (database.NewDataSource(), database.NewDataSource());
        var (a, b) = (new PostgresProcessedMessageLog(sourceA), new PostgresProcessedMessageLog(sourceB));
        var key = ProcessedMessageLog.KeyOf("wecom", "MSG-RETRIED");

        await using var connectionA = await sourceA.OpenConnectionAsync();
        await using var transactionA = await connectionA.BeginTransactionAsync();
        Assert.True(await a.AddAsync(transactionA, key, Start, _guard.Token));
        await using var connectionB = await sourceB.OpenConnectionAsync();
        await using var transactionB = await connectionB.BeginTransactionAsync();
        var addB = b.AddAsync(transactionB, key, Start, _guard.Token);
        await WaitUntilBlockedAsync(connectionB.ProcessID, connectionA.ProcessID, addB);
        await transactionA.RollbackAsync();

        Assert.True(await addB);
        await transactionB.CommitAsync();
        Assert.True(await a.ContainsAsync(key, _guard.Token));
    }

    [PostgresFact]
    public async Task TwoInstances_OneResident_TheSecondTurnWaitsForTheFirstToCommit()
    {
        var entered = false;
        await using var connectionA = await database.NewDataSource().OpenConnectionAsync();
        await using var transactionA = await connectionA.BeginTransactionAsync();
        await PostgresStorage.LockResidentAsync(transactionA, "wecom/g1/alice", _guard.Token);

        await using var connectionB = await database.NewDataSource().OpenConnectionAsync();
        await using var transactionB = await connectionB.BeginTransactionAsync();
        var turnB = Task.Run(async () =>
        {
            await PostgresStorage.LockResidentAsync(transactionB, "wecom/g1/alice", _guard.Token);
            entered = true;
        });
        await WaitUntilBlockedAsync(connectionB.ProcessID, connectionA.ProcessID, turnB);
        Assert.False(entered);
        await transactionA.CommitAsync();

        await turnB;
        Assert.True(entered);
        await transactionB.CommitAsync();
    }

    [PostgresFact]
    public async Task TwoInstances_DifferentResidents_DoNotWaitForEachOther()
    {
        await using var connectionA = await database.NewDataSource().OpenConnectionAsync();
        await using var transactionA = await connectionA.BeginTransactionAsync();
        await PostgresStorage.LockResidentAsync(transactionA, "wecom/g1/alice", _guard.Token);

        await using var connectionB = await database.NewDataSource().OpenConnectionAsync();
        await using var transactionB = await connectionB.BeginTransactionAsync();
        // Completes while alice's lock is still held (a wait here would end only at the guard, failing the test).
        await PostgresStorage.LockResidentAsync(transactionB, "wecom/g1/bob", _guard.Token);

        await transactionB.CommitAsync();
        await transactionA.CommitAsync();
    }

    [PostgresFact]
    public async Task TwoInstances_OneResidentsTurns_NeverOverlap_AndLoseNoUpdate()
    {
        const string Resident = "wecom/g1/alice";
        const string Key = "wecom/conversations/g1/users/alice";
        const int TurnsPerInstance = 20;
        var instances = new[] { NewInstance(), NewInstance() };
        // The "clock" of enter and leave: one shared sequence, so no two events tie and the order is exact.
        long clock = 0;
        var spans = new System.Collections.Concurrent.ConcurrentBag<(long Enter, long Leave)>();

        async Task TurnAsync(NpgsqlDataSource source, PostgresStorage storage)
        {
            await using var connection = await source.OpenConnectionAsync(_guard.Token);
            await using var transaction = await connection.BeginTransactionAsync(_guard.Token);
            await PostgresStorage.LockResidentAsync(transaction, Resident, _guard.Token);
            var enter = Interlocked.Increment(ref clock);
            var turn = storage.BeginTurn();
            var items = await storage.ReadAsync([Key], _guard.Token);
            var item = items.TryGetValue(Key, out var found) ? (StoredItem)found : new StoredItem { ["Count"] = 0L };
            item["Count"] = (long)item["Count"] + 1;
            await storage.WriteAsync(new Dictionary<string, object> { [Key] = item }, _guard.Token);
            await storage.CommitTurnAsync(turn, transaction, _guard.Token);
            spans.Add((enter, Interlocked.Increment(ref clock)));
            await transaction.CommitAsync(_guard.Token);
        }

        await Task.WhenAll(instances.Select(i => Task.Run(async () =>
        {
            for (var n = 0; n < TurnsPerInstance; n++)
            {
                await Task.Run(() => TurnAsync(i.Source, i.Storage));
            }
        })));

        var ordered = spans.OrderBy(s => s.Enter).ToList();
        Assert.Equal(2 * TurnsPerInstance, ordered.Count);
        for (var i = 1; i < ordered.Count; i++)
        {
            Assert.True(ordered[i].Enter > ordered[i - 1].Leave, $"turn {i} entered at {ordered[i].Enter} before turn {i - 1} left at {ordered[i - 1].Leave}");
        }

        var stored = (StoredItem)(await NewInstance().Storage.ReadAsync([Key], _guard.Token))[Key];
        Assert.Equal((long)(2 * TurnsPerInstance), stored["Count"]);
    }

    // An "instance": its own data source (connection pool) and storage over it.
    private (NpgsqlDataSource Source, PostgresStorage Storage) NewInstance()
    {
        var source = database.NewDataSource();
        return (source, new PostgresStorage(source, _time));
    }

    // A turn on its own async flow: reads the item, changes its text, and holds the write for its commit.
    private async Task<StorageTurn> HeldTurnAsync(PostgresStorage storage, string key, string text) =>
        await Task.Run(async () =>
        {
            var turn = storage.BeginTurn();
            var item = (StoredItem)(await storage.ReadAsync([key], _guard.Token))[key];
            item["Text"] = text;
            await storage.WriteAsync(new Dictionary<string, object> { [key] = item }, _guard.Token);
            return turn;
        });

    private async Task<string?> TextAsync(string key) =>
        (string?)((StoredItem)(await NewInstance().Storage.ReadAsync([key], _guard.Token))[key])["Text"];

    private Task WaitUntilBlockedAsync(int waiter, int holder, Task work) =>
        PostgresBlocking.WaitUntilBlockedAsync(_observer, waiter, holder, work, _guard.Token);
}
