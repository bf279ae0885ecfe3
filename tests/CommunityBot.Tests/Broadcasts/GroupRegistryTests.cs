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

        var restarted = new GroupRegistry(_bot.Database);

        Assert.False(restarted.ShouldRecord(conversation, _bot.Time.GetUtcNow().AddMinutes(30)));
        Assert.True(restarted.ShouldRecord(conversation, _bot.Time.GetUtcNow().AddMinutes(61)));
    }
}
