using CommunityBot.Dialogs.Conversation;
using CommunityBot.Faq;
using CommunityBot.Tests.Harness;

namespace CommunityBot.Tests.Dialogs.Faq;

/// <summary>
/// Issue 15, item 2: an entry's per-compound (or per-community) answer is given in a group tied to that place in 群管理,
/// and in the private chat of a resident whose last group it is; the general answer everywhere else.
/// </summary>
public sealed class FaqVariantJourneyTests : IDisposable
{
    private const string General = "各小区物业服务中心电话：幸福里小区0371-66002101，柳岸花园0371-66002102。";
    private const string XingfuliAnswer = "幸福里小区物业服务中心电话：0371-66002101，24小时有人值班。";
    private const string LiuanCommunityAnswer = "柳岸社区各小区物业电话请拨社区服务站0371-66002000转接。";

    private readonly BotHarness _bot = new(
    [
        new FaqEntry
        {
            Id = "property-phone", Question = "物业服务中心的电话是多少", Similar = ["物业电话多少", "找物业打哪个号码"], Answer = General, Category = "物业管理",
            Variants =
            [
                new FaqVariant { Kind = FaqScopeKind.Compound, ScopeId = "xfl", Answer = XingfuliAnswer },
                new FaqVariant { Kind = FaqScopeKind.Community, ScopeId = "FH-02", Answer = LiuanCommunityAnswer },
            ],
        },
        .. DemoKnowledgeBase.Entries.Where(e => e.Id != "t-property-phone"),
    ]);

    public void Dispose() => _bot.Dispose();

    [Fact]
    public async Task FaqVariant_GroupTiedToTheCompound_AnswersWithThatCompoundsNumberOnly()
    {
        await TieAsync("xfl-owners", "FH-01", "xfl");

        await _bot.Conversation(conversationId: "xfl-owners")
            .As("alice").Send("@小灵通 物业电话多少")
            .AssertReply(r =>
            {
                Assert.Equal(XingfuliAnswer, r.Text);
                Assert.DoesNotContain("66002102", r.Text, StringComparison.Ordinal);
            })
            .RunAsync();
    }

    [Fact]
    public async Task FaqVariant_UntiedGroup_AnswersWithTheGeneralAnswer()
    {
        await _bot.Conversation(conversationId: "some-group")
            .As("alice").Send("@小灵通 物业电话多少")
            .AssertReply(General)
            .RunAsync();
    }

    [Fact]
    public async Task FaqVariant_GroupTiedToACompoundWithoutAVariantOfItsOwn_FallsBackToItsCommunityThenTheGeneralAnswer()
    {
        await TieAsync("la-owners", "FH-02", "la");
        await TieAsync("hpl-owners", "FH-01", "hpl");

        await _bot.Conversation(conversationId: "la-owners")
            .As("alice").Send("@小灵通 物业电话多少")
            .AssertReply(LiuanCommunityAnswer)
            .InConversation("hpl-owners", group: true)
            .Send("@小灵通 物业电话多少")
            .AssertReply(General)
            .RunAsync();
    }

    [Fact]
    public async Task FaqVariant_PrivateChat_UsesTheResidentsLastGroup_AndTheGeneralAnswerForAResidentNeverSeenInOne()
    {
        await TieAsync("xfl-owners", "FH-01", "xfl");

        await _bot.Conversation(conversationId: "xfl-owners")
            .As("alice").Send("@小灵通 你好")
            .AssertReplyContains("您好")
            .InPrivateChatOf("alice")
            .Send("物业电话多少")
            .AssertReply(XingfuliAnswer)
            .InPrivateChatOf("bob")
            .Send("物业电话多少")
            .AssertReply(General)
            .RunAsync();
    }

    [Fact]
    public async Task FaqVariant_PrivateChatAfterSpeakingInAnUntiedGroup_AnswersWithTheGeneralAnswer()
    {
        await TieAsync("xfl-owners", "FH-01", "xfl");

        // Alice's last group is the untied one, not 幸福里's.
        await _bot.Conversation(conversationId: "xfl-owners")
            .As("alice").Send("@小灵通 你好").AssertReplyContains("您好")
            .InConversation("other-group", group: true)
            .Send("@小灵通 你好").AssertReplyContains("您好")
            .InPrivateChatOf("alice")
            .Send("物业电话多少")
            .AssertReply(General)
            .RunAsync();
    }

    [Fact]
    public async Task FaqVariant_ChosenFromSuggestions_AnswersWithTheVariantToo()
    {
        await TieAsync("xfl-owners", "FH-01", "xfl");
        const string property = "faq:property-phone";

        await _bot.Conversation(conversationId: "xfl-owners")
            .As("alice").Send("@小灵通 物业")
            .AssertReply(r =>
            {
                Assert.Equal("您是想问：", r.Text);
                Assert.Contains(r.Buttons, b => b.Value == property);
            })
            .Press("物业服务中心的电话是多少")
            .AssertReply(XingfuliAnswer)
            .RunAsync();
    }

    private Task TieAsync(string conversationId, string community, string compound) => _bot.Writer.WriteAsync(_ =>
        _bot.Groups.Tie(
            new ConversationReference { Channel = TestChannel.Name, ConversationId = conversationId, IsGroup = true, BotName = BotHarness.BotName },
            conversationId, community, compound, _bot.Time.GetUtcNow()));
}
