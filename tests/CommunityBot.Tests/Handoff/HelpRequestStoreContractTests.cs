using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Handoff;
using CommunityBot.Handoff;
using CommunityBot.Tests.Harness;

namespace CommunityBot.Tests.Handoff;

/// <summary>
/// What every store of residents' requests for a person promises (<see cref="LiteDbHelpRequestStoreTests"/> on LiteDB,
/// <see cref="Storage.Postgres.PostgresHelpRequestStoreTests"/> on PostgreSQL): a request read back with who asked, where,
/// what about and when; the newest first, at most as many as asked for. Each concrete class starts on an empty store.
/// </summary>
public abstract class HelpRequestStoreContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 23, 5, 0, TimeSpan.FromHours(8));

    protected abstract IHumanHelp Help { get; }

    protected abstract Task<IReadOnlyList<HelpRequestDocument>> RecentAsync(int limit);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [ContractFact]
    public async Task Request_IsReadBackWithWhoAskedWhereAndAboutWhat()
    {
        var from = new ConversationReference { Channel = "wecom", ConversationId = "g1", IsGroup = true, UserId = "u1", UserName = "张阿姨" };

        await Help.RequestAsync(new HelpRequest(from, "楼下装修太吵了，找个人来管管", T0), CancellationToken.None);

        var stored = Assert.Single(await RecentAsync(10));
        Assert.Equal(("wecom", "g1", "u1", "张阿姨", "楼下装修太吵了，找个人来管管"),
            (stored.Channel, stored.ConversationId, stored.UserId, stored.UserName, stored.Question));
        Assert.Equal(T0.UtcDateTime, stored.At.ToUniversalTime());
    }

    [ContractFact]
    public async Task Recent_NewestFirst_AtMostTheLimit()
    {
        var from = new ConversationReference { Channel = "wecom", ConversationId = "g1", IsGroup = true, UserId = "u1" };
        for (var i = 0; i < 5; i++)
        {
            await Help.RequestAsync(new HelpRequest(from, "问题" + i, T0.AddMinutes(i)), CancellationToken.None);
        }

        Assert.Equal(["问题4", "问题3", "问题2"], (await RecentAsync(3)).Select(r => r.Question));
    }
}
