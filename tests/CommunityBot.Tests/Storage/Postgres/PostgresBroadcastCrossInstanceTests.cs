using System.Text.Json;
using CommunityBot.Broadcasts;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Engine;
using CommunityBot.Notifications;
using CommunityBot.Storage.Postgres;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>
/// <see cref="PostgresBroadcastStore"/> on two instances sharing one database, each with its own data source and clock, the
/// second's a millisecond ahead (so only the request id ties their broadcasts together): one confirm form posted to both at once makes one broadcast and
/// one set of outbox entries, the second waiting for the first's transaction (PostgreSQL's own report that it is blocked,
/// <see cref="PostgresBlocking"/>); when the first rolls back, the second's goes in.
/// </summary>
public sealed class PostgresBroadcastCrossInstanceTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private readonly CancellationTokenSource _guard = new(TimeSpan.FromMinutes(2)); // against a hang, not a measure
    private NpgsqlDataSource _observer = null!;

    public async Task InitializeAsync()
    {
        if (PostgresTestServer.ConnectionString is null)
        {
            return;
        }

        _observer = database.NewDataSource();
        await using var command = _observer.CreateCommand("TRUNCATE broadcasts, outbox RESTART IDENTITY");
        await command.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync()
    {
        _guard.Dispose();
        return Task.CompletedTask;
    }

    [PostgresFact]
    public async Task TwoInstances_OneFormPostedToBothAtOnce_OneBroadcastAndOneSetOfEntries()
    {
        var (a, b) = (NewInstance(TimeSpan.Zero), NewInstance(TimeSpan.FromMilliseconds(1)));
        await using var connectionA = await a.Source.OpenConnectionAsync(_guard.Token);
        await using var transactionA = await connectionA.BeginTransactionAsync(_guard.Token);
        var first = await a.Store.SendAsync("boss", "停水通知", Groups, "R1", transactionA, _guard.Token);

        await using var connectionB = await b.Source.OpenConnectionAsync(_guard.Token);
        await using var transactionB = await connectionB.BeginTransactionAsync(_guard.Token);
        var again = Task.Run(() => b.Store.SendAsync("boss", "停水通知", Groups, "R1", transactionB, _guard.Token));
        await PostgresBlocking.WaitUntilBlockedAsync(_observer, connectionB.ProcessID, connectionA.ProcessID, again, _guard.Token);
        await transactionA.CommitAsync(_guard.Token);
        var second = await again;
        await transactionB.CommitAsync(_guard.Token);

        Assert.True(first.IsNew);
        Assert.False(second.IsNew);
        Assert.Equal(first.Broadcast.Id, second.Broadcast.Id);
        Assert.Single(await b.Store.RecentAsync(10, _guard.Token));
        var entries = await EntriesAsync();
        Assert.Equal(["wecom/g1", "wecom/g2"], entries.Select(e => e.ConversationKey).Order(StringComparer.Ordinal));
        Assert.All(entries, e => Assert.Equal(first.Broadcast.Id, e.BroadcastId));
    }

    [PostgresFact]
    public async Task TwoInstances_OneForm_FirstRollsBack_TheSecondSendsIt()
    {
        var (a, b) = (NewInstance(TimeSpan.Zero), NewInstance(TimeSpan.FromMilliseconds(1)));
        await using var connectionA = await a.Source.OpenConnectionAsync(_guard.Token);
        await using var transactionA = await connectionA.BeginTransactionAsync(_guard.Token);
        await a.Store.SendAsync("boss", "停水通知", Groups, "R1", transactionA, _guard.Token);

        await using var connectionB = await b.Source.OpenConnectionAsync(_guard.Token);
        await using var transactionB = await connectionB.BeginTransactionAsync(_guard.Token);
        var retried = Task.Run(() => b.Store.SendAsync("boss", "停水通知", Groups, "R1", transactionB, _guard.Token));
        await PostgresBlocking.WaitUntilBlockedAsync(_observer, connectionB.ProcessID, connectionA.ProcessID, retried, _guard.Token);
        await transactionA.RollbackAsync(_guard.Token);
        var second = await retried;
        await transactionB.CommitAsync(_guard.Token);

        Assert.True(second.IsNew);
        Assert.Equal(second.Broadcast.Id, Assert.Single(await a.Store.RecentAsync(10, _guard.Token)).Id);
        Assert.Equal(2, (await EntriesAsync()).Count);
    }

    [PostgresFact]
    public async Task TwoInstances_ManyPostsOfOneFormAtOnce_OneIsNew_AndDifferentFormsAllGoIn()
    {
        var (a, b) = (NewInstance(TimeSpan.Zero), NewInstance(TimeSpan.FromMilliseconds(1)));

        var sends = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            var instance = i % 2 == 0 ? a : b;
            await using var connection = await instance.Source.OpenConnectionAsync(_guard.Token);
            await using var transaction = await connection.BeginTransactionAsync(_guard.Token);
            // Jobs 0 … 15 post the one form; 16 … 19 four other forms, in the same millisecond as others on their instance.
            var sent = await instance.Store.SendAsync("boss", "通知", Groups, i < 16 ? "R1" : $"R{i}", transaction, _guard.Token);
            await transaction.CommitAsync(_guard.Token);
            return (Job: i, sent.Broadcast.Id, sent.IsNew);
        })));

        Assert.Single(sends, s => s.Job < 16 && s.IsNew);
        Assert.Single(sends.Where(s => s.Job < 16).Select(s => s.Id).Distinct());
        Assert.All(sends.Where(s => s.Job >= 16), s => Assert.True(s.IsNew));
        var ids = (await a.Store.RecentAsync(100, _guard.Token)).Select(b => b.Id).ToList();
        Assert.Equal(5, ids.Distinct().Count());
        var entries = await EntriesAsync();
        Assert.Equal(10, entries.Count);
        Assert.All(ids, id => Assert.Equal(2, entries.Count(e => e.BroadcastId == id)));
    }

    private static IReadOnlyList<ChatGroup> Groups { get; } = [Group("g1"), Group("g2")];

    // An "instance": its own data source (connection pool), outbox and store over it.
    private (NpgsqlDataSource Source, PostgresBroadcastStore Store) NewInstance(TimeSpan ahead)
    {
        var source = database.NewDataSource();
        var time = new FakeTimeProvider(Start + ahead);
        return (source, new PostgresBroadcastStore(source, new PostgresOutbox(source, time, MsOptions.Create(new OutboxOptions())), time));
    }

    private async Task<List<OutboxMessage>> EntriesAsync() =>
        (await new PostgresOutbox(_observer, new FakeTimeProvider(Start), MsOptions.Create(new OutboxOptions())).AllAsync(_guard.Token)).Select(e => e.Message).ToList();

    private static ChatGroup Group(string id) => new()
    {
        Key = GroupRegistry.KeyOf("wecom", id),
        Channel = "wecom",
        ConversationId = id,
        Reference = JsonSerializer.Serialize(new ConversationReference { Channel = "wecom", ConversationId = id, IsGroup = true }, DialogJson.Options),
    };
}
