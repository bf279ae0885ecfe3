using CommunityBot.Broadcasts;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Directory;
using CommunityBot.Faq;
using CommunityBot.Tests.Harness;

namespace CommunityBot.Tests.Broadcasts;

/// <summary>
/// <see cref="GroupPlaces.DefaultFor"/> is the one reading of a conversation's place: the intake's default compound and
/// the FAQ's per-compound or per-community answer both come from it.
/// </summary>
public sealed class GroupPlacesTests : IDisposable
{
    private readonly BotHarness _bot = new(
    [
        new FaqEntry
        {
            Id = "property-phone", Question = "物业服务中心的电话是多少", Answer = "各小区物业电话见公告栏。", Category = "物业管理",
            Variants =
            [
                new FaqVariant { Kind = FaqScopeKind.Compound, ScopeId = "xfl", Answer = "幸福里物业：0371-66002101" },
                new FaqVariant { Kind = FaqScopeKind.Community, ScopeId = "ZZ-09", Answer = "新社区服务站：0371-66009000" },
            ],
        },
    ]);

    public void Dispose() => _bot.Dispose();

    private static ConversationReference Group(string id = "group-1") =>
        new() { Channel = TestChannel.Name, ConversationId = id, IsGroup = true, UserId = "alice" };

    [Fact]
    public async Task DefaultFor_GroupTiedToACompound_NamesTheCompoundAndItsCommunity()
    {
        await _bot.TieGroupAsync("group-1", "xfl", "FH-01");

        var place = _bot.Places.DefaultFor(Group());

        Assert.Equal(new GroupPlace("xfl", "幸福里小区", "丰和里社区", FromLastGroup: false, CommunityId: "FH-01"), place);
        Assert.Equal("幸福里物业：0371-66002101", _bot.Understanding.AnswerFor("property-phone", place)!.Answer);
    }

    [Fact]
    public async Task DefaultFor_PrivateChat_IsTheResidentsLastGroupsPlace()
    {
        await _bot.TieGroupAsync("group-1", "xfl", "FH-01");
        await _bot.Writer.WriteAsync(_ => _bot.Groups.RecordResident(
            new InboundMessage { Id = "m1", Conversation = Group(), Text = "你好" }, _bot.Time.GetUtcNow()));

        var place = _bot.Places.DefaultFor(new ConversationReference { Channel = TestChannel.Name, ConversationId = "private-alice", UserId = "alice" });

        Assert.Equal(new GroupPlace("xfl", "幸福里小区", "丰和里社区", FromLastGroup: true, CommunityId: "FH-01"), place);
    }

    [Fact]
    public async Task DefaultFor_CommunityWithoutDirectoryCompounds_StillPicksTheCommunitysAnswer_AndNarrowsNothing()
    {
        await _bot.TieGroupAsync("group-1", compoundId: null, communityId: "ZZ-09");

        var place = _bot.Places.DefaultFor(Group());

        Assert.Equal(new GroupPlace(null, null, null, FromLastGroup: false, CommunityId: "ZZ-09"), place);
        Assert.Equal("新社区服务站：0371-66009000", _bot.Understanding.AnswerFor("property-phone", place)!.Answer);
    }

    [Fact]
    public async Task DefaultFor_UntiedGroupOrACompoundTheDirectoryNoLongerLists_IsNoPlace()
    {
        await _bot.TieGroupAsync("group-2", "gone", communityId: null);
        await _bot.Writer.WriteAsync(_ => _bot.Groups.Assign(GroupRegistry.KeyOf(TestChannel.Name, "group-2"), "旧群", null, "gone"));

        Assert.Null(_bot.Places.DefaultFor(Group("group-1")));
        Assert.Null(_bot.Places.DefaultFor(Group("group-2")));
        Assert.Equal("各小区物业电话见公告栏。", _bot.Understanding.AnswerFor("property-phone", null)!.Answer);
    }
}
