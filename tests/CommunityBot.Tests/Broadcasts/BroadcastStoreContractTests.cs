using System.Text.Json;
using CommunityBot.Broadcasts;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Engine;
using CommunityBot.Notifications;
using CommunityBot.Tests.Harness;
using Microsoft.Extensions.Time.Testing;

namespace CommunityBot.Tests.Broadcasts;

/// <summary>
/// What every store of broadcasts promises (<see cref="BroadcastServiceTests"/> on LiteDB,
/// <see cref="Storage.Postgres.PostgresBroadcastStoreTests"/> on PostgreSQL): a broadcast recorded with one bulk outbox entry
/// per group naming it; the same request id again finds the first and queues nothing; two in the same millisecond get
/// distinct ids; the recent ones newest first; progress read back from what is left in the outbox. Each concrete class
/// starts every test on an empty store.
/// </summary>
public abstract class BroadcastStoreContractTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    protected FakeTimeProvider Time { get; } = new(Start);

    /// <summary>Sends in a commit of its own.</summary>
    protected abstract Task<(Broadcast Broadcast, bool IsNew)> SendAsync(string author, string text, IReadOnlyList<ChatGroup> groups, string requestId);

    protected abstract Task<IReadOnlyList<Broadcast>> RecentAsync(int limit);

    protected abstract Task<IReadOnlyDictionary<string, BroadcastProgress>> ProgressAsync(IReadOnlyList<Broadcast> broadcasts, IReadOnlySet<string>? onlyGroups);

    /// <summary>Every outbox entry, oldest first.</summary>
    protected abstract Task<IReadOnlyList<OutboxMessage>> OutboxAsync();

    /// <summary>The group's first pending entry was delivered.</summary>
    protected abstract Task DeliveredAsync(string groupKey);

    /// <summary>The group's first pending entry can never be delivered.</summary>
    protected abstract Task UndeliverableAsync(string groupKey);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [ContractFact]
    public async Task Send_RecordsTheBroadcast_AndQueuesOneBulkEntryPerGroupNamingIt()
    {
        var (broadcast, isNew) = await SendAsync("boss", "停水通知：明天 9 点至 12 点", [Group("g1"), Group("g2")], "R1");

        Assert.True(isNew);
        Assert.Equal("B20261123120000000", broadcast.Id);
        var stored = Assert.Single(await RecentAsync(10));
        Assert.Equal(
            (broadcast.Id, "boss", "停水通知：明天 9 点至 12 点", Start.UtcDateTime, "R1"),
            (stored.Id, stored.Author, stored.Text, stored.CreatedAt.ToUniversalTime(), stored.RequestId));
        Assert.Equal(["wecom/g1", "wecom/g2"], stored.GroupKeys);
        var entries = await OutboxAsync();
        Assert.Equal(["wecom/g1", "wecom/g2"], entries.Select(e => e.ConversationKey).Order(StringComparer.Ordinal));
        Assert.All(entries, e => Assert.Equal((broadcast.Id, true, OutboxStatus.Pending), (e.BroadcastId, e.Bulk, e.Status)));
        Assert.All(entries, e => Assert.Equal("停水通知：明天 9 点至 12 点", JsonSerializer.Deserialize<OutboundMessage>(e.Message, DialogJson.Options)!.Text));
    }

    [ContractFact]
    public async Task Send_SameRequestIdAgain_ReturnsTheFirstAndQueuesNothing()
    {
        var (first, _) = await SendAsync("boss", "停电通知", [Group("g1"), Group("g2")], "R1");
        Time.Advance(TimeSpan.FromSeconds(2));

        var (again, isNew) = await SendAsync("boss", "停电通知", [Group("g1"), Group("g2")], "R1");

        Assert.False(isNew);
        Assert.Equal(first.Id, again.Id);
        Assert.Single(await RecentAsync(10));
        Assert.Equal(2, (await OutboxAsync()).Count);
    }

    [ContractFact]
    public async Task Send_TwoInTheSameMillisecond_GetDistinctIds_EachWithItsOwnEntries()
    {
        var (first, _) = await SendAsync("boss", "一", [Group("g1")], "R1");
        var (second, isNew) = await SendAsync("boss", "二", [Group("g1")], "R2");

        Assert.True(isNew);
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal([first.Id, second.Id], (await OutboxAsync()).Select(e => e.BroadcastId));
    }

    [ContractFact]
    public async Task Recent_NewestFirst_UpToTheLimit()
    {
        foreach (var text in new[] { "一", "二", "三" })
        {
            await SendAsync("boss", text, [Group("g1")], "R-" + text);
            Time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(["三", "二"], (await RecentAsync(2)).Select(b => b.Text));
    }

    [ContractFact]
    public async Task Progress_CountsWhatIsLeftInTheOutbox_InTheGroupsGiven()
    {
        var (broadcast, _) = await SendAsync("boss", "通知", [Group("g1"), Group("g2"), Group("g3")], "R1");
        var (other, _) = await SendAsync("boss", "另一条", [Group("g4")], "R2");

        await DeliveredAsync("wecom/g1");
        await UndeliverableAsync("wecom/g2");

        var all = await ProgressAsync([broadcast, other], null);
        Assert.Equal(new BroadcastProgress(3, 1, 1, 1), all[broadcast.Id]);
        Assert.Equal(new BroadcastProgress(1, 0, 1, 0), all[other.Id]);
        var mine = await ProgressAsync([broadcast], new HashSet<string> { "wecom/g1", "wecom/g3" });
        Assert.Equal(new BroadcastProgress(2, 1, 1, 0), mine[broadcast.Id]);
    }

    protected static ChatGroup Group(string id) => new()
    {
        Key = GroupRegistry.KeyOf("wecom", id),
        Channel = "wecom",
        ConversationId = id,
        Reference = JsonSerializer.Serialize(new ConversationReference { Channel = "wecom", ConversationId = id, IsGroup = true }, DialogJson.Options),
        FirstSeen = Start.UtcDateTime,
        LastSeen = Start.UtcDateTime,
    };
}
