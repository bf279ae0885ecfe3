using CommunityBot.Conversation;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Notifications;
using CommunityBot.Storage.Postgres;
using CommunityBot.Tests.Harness;
using Microsoft.Bot.Builder;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>
/// <see cref="PostgresTurn"/> on two instances sharing one database (each its own data source): the same activity to both
/// is answered once; one resident's turns on two instances run one after the other, the second reading the first's state;
/// other residents do not wait; a turn that ends without committing leaves nothing, and one whose state changed under it
/// keeps nothing. Where two turns must meet, the test waits until PostgreSQL reports the advisory lock being waited for.
/// </summary>
public sealed class PostgresTurnTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private const string Resident = "test/g1/u1";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));
    private readonly CancellationTokenSource _guard = new(TimeSpan.FromMinutes(2)); // against a hang, not a measure
    private readonly List<NpgsqlDataSource> _sources = [];
    private NpgsqlDataSource _observer = null!;

    public async Task InitializeAsync()
    {
        if (PostgresTestServer.ConnectionString is null)
        {
            return;
        }

        _observer = NewSource();
        await using var command = _observer.CreateCommand("TRUNCATE bot_state, processed_messages, outbox RESTART IDENTITY");
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var source in _sources)
        {
            await source.DisposeAsync();
        }

        _guard.Dispose();
    }

    [PostgresFact]
    public async Task SameActivityToBothInstancesAtOnce_IsAnsweredOnce()
    {
        var (a, b) = (NewInstance(), NewInstance());
        await using var turnA = await BeginAsync(a, Resident, "m1");
        var beginB = BeginAsync(b, Resident, "m1");
        await WaitUntilSomeoneWaitsForALockAsync(beginB);

        Assert.True(await CommitAsync(a, turnA, await CountedAsync(a, Resident), "答复一"));
        await using var turnB = await beginB.WaitAsync(_guard.Token);

        Assert.False(turnA.AlreadyProcessed);
        Assert.True(turnB.AlreadyProcessed); // the redelivery's instance answers nothing
        Assert.Equal(["答复一"], await RepliesAsync(a));
        Assert.Equal(1L, await CountAsync(a, Resident));
    }

    [PostgresFact]
    public async Task OneResidentsTurnsOnTwoInstancesAtOnce_RunOneAfterTheOther_TheSecondReadingTheFirstsState()
    {
        var (a, b) = (NewInstance(), NewInstance());
        await using var turnA = await BeginAsync(a, Resident, "m1");
        var beginB = BeginAsync(b, Resident, "m2");
        await WaitUntilSomeoneWaitsForALockAsync(beginB);
        Assert.True(await CommitAsync(a, turnA, await CountedAsync(a, Resident), "一"));

        await using var turnB = await beginB.WaitAsync(_guard.Token);
        Assert.False(turnB.AlreadyProcessed);
        // Read after the lock: the first turn's state, so the ETag check passes and nothing is lost.
        Assert.True(await CommitAsync(b, turnB, await CountedAsync(b, Resident), "二"));

        Assert.Equal(2L, await CountAsync(a, Resident));
        Assert.Equal(["一", "二"], await RepliesAsync(a));
    }

    [PostgresFact]
    public async Task AResidentsTurnsAlternatingBetweenInstances_EachContinuesTheLast()
    {
        var instances = new[] { NewInstance(), NewInstance() };
        for (var i = 0; i < 6; i++)
        {
            var instance = instances[i % 2];
            await using var turn = await BeginAsync(instance, Resident, $"m{i}");
            Assert.True(await CommitAsync(instance, turn, await CountedAsync(instance, Resident), $"{i}"));
        }

        Assert.Equal(6L, await CountAsync(instances[0], Resident));
        Assert.Equal(["0", "1", "2", "3", "4", "5"], await RepliesAsync(instances[1]));
    }

    [PostgresFact]
    public async Task AnotherResidentsTurn_DoesNotWait()
    {
        var (a, b) = (NewInstance(), NewInstance());
        await using var turnA = await BeginAsync(a, Resident, "m1");

        await using var other = await BeginAsync(b, "test/g1/u2", "m2").WaitAsync(_guard.Token); // while A holds u1's lock
        Assert.True(await CommitAsync(b, other, await CountedAsync(b, "test/g1/u2"), "二"));
        Assert.Equal(1L, await CountAsync(a, "test/g1/u2"));
    }

    [PostgresFact]
    public async Task TurnEndedWithoutCommitting_LeavesNothing_AndTheRedeliveryRunsAgain()
    {
        var (a, b) = (NewInstance(), NewInstance());
        await using (var crashed = await BeginAsync(a, Resident, "m1"))
        {
            _ = await CountedAsync(a, Resident); // the turn ran, held its writes, and its instance died before the commit
        }

        Assert.Empty(await RepliesAsync(a));
        Assert.Equal(0L, await CountAsync(a, Resident));

        await using var again = await BeginAsync(b, Resident, "m1");
        Assert.False(again.AlreadyProcessed);
        Assert.True(await CommitAsync(b, again, await CountedAsync(b, Resident), "答复"));
        Assert.Equal(["答复"], await RepliesAsync(a));
    }

    [PostgresFact]
    public async Task StateChangedUnderTheTurn_CommitKeepsNothing()
    {
        var a = NewInstance();
        await a.Storage.WriteNowAsync(new Dictionary<string, object> { [Resident] = new StoredItem { ["Count"] = 1L } }, _guard.Token);
        await using var turn = await BeginAsync(a, Resident, "m1");
        var held = await CountedAsync(a, Resident); // read with the stored ETag, which the commit expects still
        // A write that did not take the resident's lock (a tool writing state directly) changes the item under the turn.
        await a.Storage.WriteNowAsync(new Dictionary<string, object> { [Resident] = new StoredItem { ["Count"] = 41L } }, _guard.Token);

        await Assert.ThrowsAsync<StorageConflictException>(() => CommitAsync(a, turn, held, "答复"));

        Assert.Empty(await RepliesAsync(a));
        Assert.Equal(41L, await CountAsync(a, Resident));
        Assert.False(await a.Processed.ContainsAsync(Key("m1"), _guard.Token)); // redelivered, it runs again
    }

    private Task<PostgresTurn> BeginAsync(Instance instance, string stateKey, string messageId) =>
        Task.Run(() => PostgresTurn.BeginAsync(instance.Source, stateKey, Key(messageId), _guard.Token));

    private static string Key(string messageId) => ProcessedMessageLog.KeyOf(TestChannel.Name, messageId);

    // The turn's work, on its own async flow as a turn's would be: reads the resident's item and holds its count + 1.
    private Task<StorageTurn> CountedAsync(Instance instance, string stateKey) => Task.Run(async () =>
    {
        var writes = instance.Storage.BeginTurn();
        var found = await instance.Storage.ReadAsync([stateKey], _guard.Token);
        var item = found.TryGetValue(stateKey, out var stored) ? (StoredItem)stored : new StoredItem();
        item["Count"] = (item.TryGetValue("Count", out var count) ? Convert.ToInt64(count) : 0L) + 1;
        await instance.Storage.WriteAsync(new Dictionary<string, object> { [stateKey] = item }, _guard.Token);
        return writes;
    });

    private Task<bool> CommitAsync(Instance instance, PostgresTurn turn, StorageTurn writes, string reply) =>
        turn.CommitAsync(instance.Processed, instance.Storage, writes, instance.Outbox, [Reply(reply)], _time.GetUtcNow(), _guard.Token);

    private OutboxMessage Reply(string text) => OutboxMessage.For(
        new ConversationReference { Channel = TestChannel.Name, ConversationId = "g1", IsGroup = true },
        OutboundMessage.Plain(text),
        _time.GetUtcNow().UtcDateTime);

    private async Task<List<string>> RepliesAsync(Instance instance) =>
        (await instance.Outbox.AllAsync(_guard.Token))
            .Select(e => System.Text.Json.JsonSerializer.Deserialize<OutboundMessage>(e.Message.Message, CommunityBot.Dialogs.Engine.DialogJson.Options)!.Text)
            .ToList();

    private async Task<long> CountAsync(Instance instance, string stateKey)
    {
        var found = await NewInstance().Storage.ReadAsync([stateKey], _guard.Token);
        return found.TryGetValue(stateKey, out var item) ? Convert.ToInt64(((StoredItem)item)["Count"]) : 0L;
    }

    /// <summary>Returns once a session waits for an advisory lock (the resident's); fails if <paramref name="work"/> ends first.</summary>
    private async Task WaitUntilSomeoneWaitsForALockAsync(Task work)
    {
        await using var command = _observer.CreateCommand("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted)");
        while (!work.IsCompleted && !(bool)(await command.ExecuteScalarAsync(_guard.Token))!)
        {
        }

        Assert.False(work.IsCompleted, "the second instance did not wait for the first");
    }

    private NpgsqlDataSource NewSource()
    {
        var source = database.NewDataSource();
        _sources.Add(source);
        return source;
    }

    // An "instance": its own data source (connection pool) and the stores over it, on the shared clock.
    private Instance NewInstance()
    {
        var source = NewSource();
        return new Instance(
            source,
            new PostgresStorage(source, _time),
            new PostgresProcessedMessageLog(source),
            new PostgresOutbox(source, _time, MsOptions.Create(new OutboxOptions())));
    }

    private sealed record Instance(NpgsqlDataSource Source, PostgresStorage Storage, PostgresProcessedMessageLog Processed, PostgresOutbox Outbox);
}
