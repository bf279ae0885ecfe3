using CommunityBot.Conversation;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Tests.Harness;

namespace CommunityBot.Tests.Dialogs.Routing;

public sealed class TurnRouterTests : IDisposable
{
    private readonly BotHarness _bot = new();

    public void Dispose() => _bot.Dispose();

    [Fact]
    public async Task Faq_MentionedInGroup_Answers()
    {
        await _bot.Conversation()
            .As("alice").Send("@小灵通 物业电话多少")
            .AssertReply(DemoKnowledgeBase.PropertyPhoneAnswer)
            .RunAsync();
    }

    [Fact]
    public async Task Faq_GroupMessageWithoutMention_IsIgnored()
    {
        var flow = _bot.Conversation().As("alice").Send("物业电话多少").AssertNoReply();

        await flow.RunAsync();

        Assert.Equal([TurnOutcome.Ignored], flow.Outcomes);
    }

    [Fact]
    public async Task Faq_PrivateChatWithoutMention_Answers()
    {
        await _bot.Conversation(group: false)
            .Send("找物业打哪个号码")
            .AssertReply(DemoKnowledgeBase.PropertyPhoneAnswer)
            .RunAsync();
    }

    [Fact]
    public async Task Faq_Unsure_OffersChoicesAndAnswersThePressedOne()
    {
        var offered = "";
        await _bot.Conversation()
            .As("alice").Send("@小灵通 在哪交钱")
            .AssertReply(r =>
            {
                Assert.Equal("您是想问：", r.Text);
                Assert.InRange(r.Buttons.Count, 2, 4);
                Assert.Equal("都不是", r.Buttons[^1].Title);
                offered = r.Buttons[0].Value;
            })
            .PressAt(0)
            .AssertReply(r => Assert.Equal(AnswerOf(offered), r.Text))
            .RunAsync();
    }

    [Fact]
    public async Task Faq_UnsureAndChosen_RecordsTheResidentsWordsForTheChosenEntry()
    {
        var offered = "";
        await _bot.Conversation()
            .As("alice").Send("@小灵通 在哪交钱")
            .AssertReply(r => offered = r.Buttons[1].Value)
            .PressAt(1)
            .AssertReply(r => Assert.Equal(AnswerOf(offered), r.Text))
            .RunAsync();

        // The resident's way of asking is missing from that entry: the office can add it in one click.
        var miss = Assert.Single(_bot.Misses.Recent(10));
        Assert.Equal(("在哪交钱", offered["faq:".Length..], true), (miss.Text, miss.BestId, miss.Chosen));
    }

    [Fact]
    public async Task Faq_UnsureAnsweredByNumber_AnswersThatChoice()
    {
        var offered = "";
        await _bot.Conversation()
            .As("alice").Send("@小灵通 在哪交钱")
            .AssertReply(r => offered = r.Buttons[0].Value)
            .Send("1")
            .AssertReply(r => Assert.Equal(AnswerOf(offered), r.Text))
            .RunAsync();
    }

    [Fact]
    public async Task Faq_UnsureThenNoneFits_RecordsMissAndOffersHuman()
    {
        await _bot.Conversation()
            .As("alice").Send("@小灵通 在哪交钱")
            .AssertReply(r => Assert.Equal("您是想问：", r.Text))
            .Press("都不是")
            .AssertReply(r =>
            {
                Assert.Contains("答不上来", r.Text);
                Assert.Equal("转人工", Assert.Single(r.Buttons).Title);
            })
            .Press("转人工")
            .AssertReplyContains("工作人员")
            .RunAsync();

        var miss = Assert.Single(_bot.Misses.Recent(10));
        Assert.Equal(("在哪交钱", null, false), (miss.Text, miss.BestId, miss.Chosen));
        Assert.Single(_bot.HelpRequests.Recent(10));
    }

    [Fact]
    public async Task Faq_NothingFits_SaysSoHonestlyAndRecordsTheMiss()
    {
        await _bot.Conversation()
            .As("alice").Send("@小灵通 明天火箭发射几点开始直播")
            .AssertReply(r =>
            {
                Assert.StartsWith("抱歉，这个问题我暂时答不上来", r.Text);
                Assert.Equal("人工", Assert.Single(r.Buttons).Value);
            })
            .RunAsync();

        Assert.Equal("明天火箭发射几点开始直播", Assert.Single(_bot.Misses.Recent(10)).Text);
    }

    [Fact]
    public async Task Faq_CancelWhileChoosing_EndsTheChoice()
    {
        await _bot.Conversation()
            .As("alice").Send("@小灵通 在哪交钱")
            .AssertReply(r => Assert.Equal("您是想问：", r.Text))
            .Send("@小灵通 取消")
            .AssertReply("好的，已取消。有需要随时@我。")
            .Send("@小灵通 取消")
            .AssertReply("当前没有进行中的事项。有需要随时@我。")
            .RunAsync();
    }

    [Fact]
    public async Task Faq_NewQuestionWhileChoosing_IsAnsweredAsNewQuestion()
    {
        await _bot.Conversation()
            .As("alice").Send("@小灵通 在哪交钱")
            .AssertReply(r => Assert.Equal("您是想问：", r.Text))
            .Send("@小灵通 垃圾怎么分类")
            .AssertReply(r => Assert.StartsWith("分为厨余垃圾", r.Text))
            .RunAsync();
    }

    [Fact]
    public async Task TwoResidents_ChoosingAtOnceInOneGroup_DoNotMixUp()
    {
        await _bot.Conversation()
            .As("alice").Send("@小灵通 在哪交钱")
            .AssertReply(r => Assert.Equal("您是想问：", r.Text))
            .As("bob").Send("@小灵通 老年食堂啥时候吃饭")
            .AssertReply(r => Assert.StartsWith("丰和里长者食堂", r.Text))
            .As("bob").Send("1")
            .AssertNoReply()
            .As("alice").Send("取消")
            .AssertReply("好的，已取消。有需要随时@我。")
            .RunAsync();
    }

    [Fact]
    public async Task ResidentWithOpenChoice_AnswersWithoutMention_IsHeard()
    {
        await _bot.Conversation()
            .As("alice").Send("@小灵通 在哪交钱")
            .AssertReply(r => Assert.Equal("您是想问：", r.Text))
            .As("bob").Send("1")
            .AssertNoReply()
            .As("alice").Send("都不是")
            .AssertReplyContains("答不上来")
            .RunAsync();
    }

    [Fact]
    public async Task Help_WithoutDialog_ExplainsWithExamples()
    {
        await _bot.Conversation()
            .As("alice").Send("@小灵通 帮助")
            .AssertReply(r =>
            {
                Assert.Contains("取消", r.Text);
                Assert.Contains("人工", r.Text);
                Assert.Equal(3, r.Buttons.Count);
            })
            .RunAsync();
    }

    [Fact]
    public async Task MentionOnly_Greets()
    {
        await _bot.Conversation()
            .As("alice").Send("@小灵通")
            .AssertReplyContains("有什么可以帮您")
            .RunAsync();
    }

    [Fact]
    public async Task BotAddedToGroup_GreetsOnce()
    {
        await DeliverBotAddedAsync("added-1");
        await DeliverBotAddedAsync("added-2");

        var greeting = Assert.Single(_bot.Channel.Sent);
        Assert.Contains("大家好", greeting.Message.Text);
    }

    [Fact]
    public async Task SameMessageDeliveredTwice_IsAnsweredOnce()
    {
        var flow = _bot.Conversation()
            .As("alice").Send("@小灵通 物业电话多少", messageId: "dup-1")
            .AssertReply(DemoKnowledgeBase.PropertyPhoneAnswer)
            .Send("@小灵通 物业电话多少", messageId: "dup-1")
            .AssertNoReply();

        await flow.RunAsync();

        Assert.Equal([TurnOutcome.Processed, TurnOutcome.Duplicate], flow.Outcomes);
    }

    [Fact]
    public async Task StaleSuggestionButton_PressedLater_StillAnswers()
    {
        var offered = "";
        await _bot.Conversation()
            .As("alice").Send("@小灵通 在哪交钱")
            .AssertReply(r => offered = r.Buttons[0].Value)
            .AdvanceTime(TimeSpan.FromHours(2))
            .PressAt(0)
            .AssertReply(r => Assert.Equal(AnswerOf(offered), r.Text))
            .RunAsync();
    }

    private string AnswerOf(string buttonValue)
    {
        Assert.StartsWith("faq:", buttonValue);
        return _bot.Understanding.Find(buttonValue["faq:".Length..])!.Answer;
    }

    private async Task DeliverBotAddedAsync(string id)
    {
        await _bot.Pipeline.ProcessAsync(
            new InboundMessage
            {
                Id = id,
                Kind = InboundKind.BotAdded,
                Conversation = new ConversationReference { Channel = TestChannel.Name, ConversationId = "group-9", IsGroup = true, UserId = "admin" },
            },
            CancellationToken.None);
        await _bot.Dispatcher.DispatchDueAsync(CancellationToken.None);
    }
}
