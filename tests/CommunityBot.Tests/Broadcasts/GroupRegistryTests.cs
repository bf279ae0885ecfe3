using CommunityBot.Broadcasts;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Tests.Harness;

namespace CommunityBot.Tests.Broadcasts;

/// <summary>The bot learns its groups from the turns it runs, writing a group only when new or an hour stale.</summary>
public sealed class GroupRegistryTests : IDisposable
{
    private readonly BotHarness _bot = new();

    public void Dispose() => _bot.Dispose();

    [Fact]
    public async Task Group_SeveralTurnsWithinAnHour_IsRecordedOnce()
    {
        var first = _bot.Time.GetUtcNow().UtcDateTime;

        await _bot.Conversation(conversationId: "xingfuli-owners")
            .As("zhang").Send("@小灵通 物业电话多少").AssertReplyContains("电话")
            .AdvanceTime(TimeSpan.FromMinutes(20))
            .As("li").Send("大家好")
            .AdvanceTime(TimeSpan.FromMinutes(30))
            .Send("今天停水吗")
            .RunAsync();

        var group = Assert.Single(_bot.Groups.All());
        Assert.Equal("test/xingfuli-owners", group.Key);
        Assert.Equal(first, group.FirstSeen);
        Assert.Equal(first, group.LastSeen); // the later turns did not write it again
    }

    [Fact]
    public async Task Group_SeenAgainAfterMoreThanAnHour_RefreshesLastSeenOnly()
    {
        var first = _bot.Time.GetUtcNow().UtcDateTime;

        await _bot.Conversation(conversationId: "xingfuli-owners")
            .Send("大家好")
            .AdvanceTime(TimeSpan.FromMinutes(61))
            .Send("今天停水吗")
            .AdvanceTime(TimeSpan.FromMinutes(10))
            .Send("谢谢")
            .RunAsync();

        var group = Assert.Single(_bot.Groups.All());
        Assert.Equal(first, group.FirstSeen);
        Assert.Equal(first.AddMinutes(61), group.LastSeen);
    }

    [Fact]
    public async Task Registry_ConsoleAssignment_SurvivesALaterRefresh()
    {
        await _bot.Conversation(conversationId: "xingfuli-owners")
            .Send("大家好")
            .Then(() => _bot.Writer.WriteAsync(_ => _bot.Groups.Assign("test/xingfuli-owners", "幸福里业主群", "FH-01", "xingfuli")))
            .AdvanceTime(TimeSpan.FromHours(2))
            .Send("大家好")
            .RunAsync();

        var group = Assert.Single(_bot.Groups.All());
        Assert.Equal(("幸福里业主群", "FH-01", "xingfuli"), (group.Name, group.CommunityId, group.CompoundId));
        Assert.Equal(_bot.Time.GetUtcNow().UtcDateTime, group.LastSeen);
    }

    [Fact]
    public async Task PrivateChat_IsNotRecorded()
    {
        await _bot.Conversation(group: false).Send("物业电话多少").AssertReplyContains("电话").RunAsync();

        Assert.Empty(_bot.Groups.All());
    }

    [Fact]
    public async Task Group_StoredReference_CarriesNoResidentIdentity()
    {
        await _bot.Conversation(conversationId: "xingfuli-owners").As("resident-zhang-13812345678").Send("大家好").RunAsync();

        var group = Assert.Single(_bot.Groups.All());
        Assert.DoesNotContain("resident-zhang", group.Reference, StringComparison.Ordinal);
        var reference = GroupRegistry.ReferenceOf(group);
        Assert.Equal(("test", "xingfuli-owners", true, ""), (reference.Channel, reference.ConversationId, reference.IsGroup, reference.UserId));
        Assert.Null(reference.ReplyToId);
    }

    [Fact]
    public void Registry_NewInstanceOverTheSameDatabase_KnowsTheGroupsAlreadyRecorded()
    {
        var conversation = new ConversationReference { Channel = "test", ConversationId = "g", IsGroup = true };
        _bot.Groups.Record(conversation, _bot.Time.GetUtcNow());

        var restarted = new GroupRegistry(_bot.Database, _bot.Writer);

        Assert.False(restarted.ShouldRecord(conversation, _bot.Time.GetUtcNow().AddMinutes(30)));
        Assert.True(restarted.ShouldRecord(conversation, _bot.Time.GetUtcNow().AddMinutes(61)));
    }

    [Fact]
    public void Group_UnauthenticatedMessage_IsNotRecorded()
    {
        var message = new InboundMessage
        {
            Id = "1",
            Conversation = new ConversationReference { Channel = "msteams", ConversationId = "forged", IsGroup = true },
            Authenticated = false,
        };

        Assert.False(_bot.Groups.ShouldRecord(message, _bot.Time.GetUtcNow()));
        Assert.True(_bot.Groups.ShouldRecord(message with { Authenticated = true }, _bot.Time.GetUtcNow()));
    }

    [Fact]
    public void Registry_AtTheLimit_DropsTheLeastRecentlySeenUnassignedGroup()
    {
        var registry = Bounded(maxGroups: 10);
        var start = _bot.Time.GetUtcNow();
        for (var i = 0; i < 10; i++)
        {
            Assert.True(registry.Record(Group("g" + i), start.AddMinutes(i)));
        }

        registry.Assign(GroupRegistry.KeyOf("test", "g0"), null, "FH-01", null); // the oldest, but staff tied it to a community

        Assert.True(registry.Record(Group("g10"), start.AddMinutes(10)));

        var keys = registry.All().Select(g => g.ConversationId).ToList();
        Assert.Equal(10, keys.Count);
        Assert.Contains("g0", keys);
        Assert.DoesNotContain("g1", keys);
        Assert.Contains("g10", keys);
        Assert.True(registry.ShouldRecord(Group("g1"), start.AddMinutes(11))); // seen again, it comes back
    }

    [Fact]
    public void Registry_AtTheLimitWithEveryGroupAssigned_DoesNotRecordANewOne()
    {
        var registry = Bounded(maxGroups: 10);
        for (var i = 0; i < 10; i++)
        {
            registry.Record(Group("g" + i), _bot.Time.GetUtcNow());
            registry.Assign(GroupRegistry.KeyOf("test", "g" + i), null, "FH-01", null);
        }

        Assert.False(registry.Record(Group("new"), _bot.Time.GetUtcNow()));
        Assert.Equal(10, registry.All().Count);
        Assert.Null(registry.Find(GroupRegistry.KeyOf("test", "new")));
    }

    [Fact]
    public void Registry_UnassignedGroupPastRetention_IsDroppedWhenANewGroupArrives()
    {
        var registry = Bounded(maxGroups: 100);
        var start = _bot.Time.GetUtcNow();
        registry.Record(Group("quiet"), start);
        registry.Record(Group("assigned"), start);
        registry.Assign(GroupRegistry.KeyOf("test", "assigned"), null, "FH-01", null);

        registry.Record(Group("new"), start.AddDays(181));

        Assert.Equal(["assigned", "new"], registry.All().Select(g => g.ConversationId).Order());
    }

    private GroupRegistry Bounded(int maxGroups) =>
        new(_bot.Database, _bot.Writer, Microsoft.Extensions.Options.Options.Create(new GroupRegistryOptions { MaxGroups = maxGroups }));

    private static ConversationReference Group(string id) => new() { Channel = "test", ConversationId = id, IsGroup = true };
}
