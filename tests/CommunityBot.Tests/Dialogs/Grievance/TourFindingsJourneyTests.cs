using CommunityBot.Dialogs.Grievance;
using CommunityBot.Dialogs.Understanding;
using CommunityBot.Notices;
using CommunityBot.Tests.Harness;
using CommunityBot.Tickets;

namespace CommunityBot.Tests.Dialogs.Grievance;

/// <summary>Issue 15, items 5 and 6: what the tour journeys showed a resident or worker would still find wrong.</summary>
public sealed class TourFindingsJourneyTests : IDisposable
{
    private const string Ticket1 = TicketFlows.FirstTicket;
    private const string WorkerChat = TicketFlows.WorkerChat;

    private readonly BotHarness _bot = new();

    public void Dispose() => _bot.Dispose();

    /// <summary>
    /// Reports <paramref name="text"/> (a building, no compound) in group-1 as <paramref name="resident"/> with
    /// <paramref name="category"/>, up to the summary: a tied group supplies 幸福里, an untied one asks for it.
    /// </summary>
    private ConversationFlow ReportUpToSummary(ConversationFlow flow, string resident, string text, string category, bool tied) =>
        (tied
            ? flow.As(resident).Send("@小灵通 " + text).AssertReply(r => Assert.Equal("请问是哪类问题？", r.Text)).Send(category)
            : flow.As(resident).Send("@小灵通 " + text).AssertReply(r => Assert.Equal("请问是哪类问题？", r.Text)).Send(category)
                .AssertReply(r => Assert.Equal("在哪个小区？", r.Text)).Send("幸福里小区"))
        .AssertReply(r => Assert.StartsWith("有现场照片", r.Text))
        .Send("跳过")
        .AssertReply(r => Assert.StartsWith("请确认：", r.Text));

    private ConversationFlow SubmitAndReadTheSideMessages(ConversationFlow flow, string resident, string receipt) => flow
        .Press("提交")
        .AssertReply(r => Assert.StartsWith(receipt, r.Text))
        .InPrivateChatOf(resident).AssertReplyContains("留个电话")
        .InConversation(WorkerChat, group: false).AssertReply(_ => { })
        .InConversation("group-1", group: true);

    private async Task TieAsync(bool tied)
    {
        if (tied)
        {
            await _bot.TieGroupAsync("group-1", "xfl");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Duplicate_SameProblemUnderAnotherCategory_JoinsTheOpenTicket(bool tied)
    {
        await TieAsync(tied);
        var flow = ReportUpToSummary(_bot.Conversation(), "alice", "3号楼楼道灯坏了三天了", "物业管理", tied);
        flow = SubmitAndReadTheSideMessages(flow, "alice", "已登记，工单号 " + Ticket1);
        flow = ReportUpToSummary(flow, "bob", "我要报修 3号楼楼道灯不亮", "消防安全", tied)
            .Press("提交")
            .AssertReply(r => Assert.StartsWith($"这个问题已有人反映，已并入工单 {Ticket1}（共2人反映）", r.Text))
            .InPrivateChatOf("bob").AssertReplyContains("留个电话")
            .InConversation(WorkerChat, group: false).AssertReplyContains("又有居民bob反映了同一问题");
        await flow.RunAsync();

        var ticket = Assert.Single(_bot.Tickets.All());
        Assert.Equal("bob", Assert.Single(ticket.Supporters).UserId);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Duplicate_AnotherProblemUnderTheSameCategory_OpensItsOwnTicket(bool tied)
    {
        await TieAsync(tied);
        var flow = ReportUpToSummary(_bot.Conversation(), "alice", "3号楼楼道灯坏了三天了", "物业管理", tied);
        flow = SubmitAndReadTheSideMessages(flow, "alice", "已登记，工单号 " + Ticket1);
        flow = ReportUpToSummary(flow, "bob", "3号楼电梯坏了困人", "物业管理", tied);
        flow = SubmitAndReadTheSideMessages(flow, "bob", "已登记，工单号 WT20261123-0002");
        await flow.RunAsync();

        Assert.Equal(2, _bot.Tickets.All().Count);
    }

    [Fact]
    public void DuplicateMatcher_ComparesTheProblem_NotThePlaceWords()
    {
        var open = new Ticket { Category = "物业管理", Description = "幸福里3号楼楼道灯坏了三天了" };
        Assert.True(DuplicateMatcher.IsSameProblem(open, "消防安全", "幸福里小区3号楼楼道灯不亮", ["幸福里小区"]));
        Assert.False(DuplicateMatcher.IsSameProblem(open, "物业管理", "幸福里3号楼电梯坏了", ["幸福里小区"]));
        // Nothing to compare: the label decides, as before.
        Assert.True(DuplicateMatcher.IsSameProblem(open, "物业管理", "+1", ["幸福里小区"]));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Confirm_ChangeCategory_AsksItAgainAndShowsTheNewOne(bool tied)
    {
        await TieAsync(tied);
        await ReportUpToSummary(_bot.Conversation(), "alice", "3号楼楼道灯坏了", "消防安全", tied)
            .Press("改类别")
            .AssertReply(r => Assert.Equal("请问是哪类问题？", r.Text))
            .Press("物业管理")
            .AssertReply(r =>
            {
                Assert.StartsWith("请确认：\n类别：物业管理\n", r.Text);
                Assert.Contains("幸福里小区3号楼", r.Text);
            })
            .RunAsync();
    }

    [Fact]
    public async Task CategoryChoices_ComeInTheGridsOrder_WithOtherLast()
    {
        await _bot.Conversation()
            .As("alice").Send("@小灵通 我要投诉 3号楼有人乱贴小广告")
            .AssertReply(r =>
            {
                Assert.Equal("请问是哪类问题？", r.Text);
                Assert.Equal(GrievanceCategories.Default, r.Buttons.Select(b => b.Title));
                Assert.Equal("其他", r.Buttons[^1].Title);
            })
            .RunAsync();
    }

    [Fact]
    public void Prefill_UnsureModel_PutsItsLikelyGuessesFirst_NeverOtherFirst()
    {
        var dialog = new GrievanceDialog(_bot.Directory, _bot.Directory, new NoticeBoard(_bot.Notices, Microsoft.Extensions.Options.Options.Create(new CommunityBot.Clocks.ClockOptions()), Microsoft.Extensions.Logging.Abstractions.NullLogger<NoticeBoard>.Instance));
        var understanding = new MessageUnderstanding
        {
            Text = "楼道灯不亮",
            Intent = Intent.Grievance,
            Category = "其他",
            CategoryScore = 0.3,
            CategoryUnsure = true,
            CategoryCandidates = [new("其他", 0.3), new("消防安全", 0.25), new("物业管理", 0.2), new("市政管养", 0.05)],
        };

        var state = dialog.Prefill("楼道灯不亮", understanding, _bot.Time.GetUtcNow(), isPrivate: false);

        Assert.Null(state.Category);
        Assert.Equal(["消防安全", "物业管理"], state.CategoryChoices);
    }

    private Task<Notice> PostWaterNoticeAsync() => _bot.Notices.CreateAsync(new Notice
    {
        Title = "幸福里停水通知",
        Text = "因管网维修，今晚停水。",
        Category = "水电气暖",
        Keywords = NoticeKeywords.Defaults("水电气暖", "停水通知").ToList(),
        CommunityId = "FH-01",
        Places = [new NoticePlace { CompoundId = "xfl", CompoundName = "幸福里小区", Buildings = ["5号楼"] }],
        StartUtc = new DateTime(2026, 11, 23, 10, 0, 0, DateTimeKind.Utc),
        EndUtc = new DateTime(2026, 11, 23, 22, 0, 0, DateTimeKind.Utc),
        Author = "boss",
        CreatedUtc = new DateTime(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc),
    });

    [Fact]
    public async Task AnnouncedOutage_InATiedGroup_IsSaidAtOnce_BeforeAnyQuestion()
    {
        await PostWaterNoticeAsync();
        await _bot.TieGroupAsync("group-1", "xfl");

        await _bot.Conversation()
            .As("alice").Send("@小灵通 我要报修 5号楼没水了")
            .AssertReply(r => Assert.StartsWith("这是已公告的情况：【幸福里停水通知】", r.Text))
            .As("bob").Send("@小灵通 5号楼停水了吗")
            .AssertReply(r => Assert.Contains("因管网维修，今晚停水。", r.Text))
            .RunAsync();

        Assert.Empty(_bot.Tickets.All());
    }

    [Fact]
    public async Task AnnouncedOutage_InAnUntiedGroup_AsksThePlaceFirst_ThenSaysItIsAnnounced()
    {
        await PostWaterNoticeAsync();

        await _bot.Conversation()
            .As("alice").Send("@小灵通 我要报修 5号楼没水了")
            .AssertReply(r => Assert.Equal("在哪个小区？", r.Text))
            .Send("幸福里小区")
            .AssertReply(r => Assert.StartsWith("这是已公告的情况：【幸福里停水通知】", r.Text))
            .RunAsync();

        Assert.Empty(_bot.Tickets.All());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Feedback_NotFixedButSatisfied_ReplyFollowsTheAnswers_AndTheReopenCardSaysWhy(bool tied)
    {
        await TieAsync(tied);
        var flow = ReportUpToSummary(_bot.Conversation(), "alice", "3号楼楼道灯坏了", "物业管理", tied);
        await SubmitAndReadTheSideMessages(flow, "alice", "已登记，工单号 " + Ticket1)
            .InPrivateChatOf(FakeDirectory.GridWorker)
            .PressCardButton(Ticket1, "办结")
            .AssertReplyContains("请填写办结说明")
            .Send("已换灯泡")
            .AssertReply(r => Assert.StartsWith("要附一张办结现场照片吗", r.Text))
            .Press("跳过")
            .AssertReplyContains("已办结")
            .InConversation("group-1", group: true).As("alice")
            .AssertReply(r => Assert.EndsWith("问题解决了吗？", r.Text))
            .Press("没解决")
            .AssertReply("您对这次处理满意吗？")
            .Press("满意")
            .AssertReply($"谢谢您的评价。问题还没解决，工单 {Ticket1} 已重新办理，网格员会再联系您。")
            .InConversation(WorkerChat, group: false)
            .AssertReply(r =>
            {
                Assert.Equal("重办工单 " + Ticket1, r.Title);
                Assert.Contains("居民反馈：没解决\n", r.Text);
            })
            .RunAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Bystander_PressingAnotherResidentsSurveyButton_IsToldWhoseItIs_AndNothingElseHappens(bool tied)
    {
        await TieAsync(tied);
        var flow = ReportUpToSummary(_bot.Conversation(), "alice", "3号楼楼道灯坏了", "物业管理", tied);
        await SubmitAndReadTheSideMessages(flow, "alice", "已登记，工单号 " + Ticket1)
            .InPrivateChatOf(FakeDirectory.GridWorker)
            .PressCardButton(Ticket1, "办结")
            .AssertReplyContains("请填写办结说明")
            .Send("已换灯泡")
            .AssertReply(r => Assert.StartsWith("要附一张办结现场照片吗", r.Text))
            .Press("跳过")
            .AssertReplyContains("已办结")
            .InConversation("group-1", group: true)
            .AssertReply(r => Assert.EndsWith("问题解决了吗？", r.Text))
            .As("bob").Press("已解决")
            .AssertReply("这是alice的问题，请由本人回答。您有需要可以直接@我。")
            .AssertNoReply()
            // alice's question is still hers to answer.
            .As("alice").Press("已解决")
            .AssertReply("您对这次处理满意吗？")
            .RunAsync();

        Assert.Equal(TicketStatus.Resolved, Assert.Single(_bot.Tickets.All()).Status);
    }

    [Fact]
    public async Task Contact_WithUnitAndRoom_ReachesTheWorkerWithTheUnit()
    {
        await _bot.FileNoiseComplaint("alice")
            .InPrivateChatOf("alice").Send("13812345678 3单元201")
            .AssertReplyContains("已记下电话")
            .InConversation(WorkerChat, group: false)
            .AssertReply($"工单 {Ticket1}：居民alice留了电话 13812345678，住3单元201室。")
            .RunAsync();

        var ticket = Assert.Single(_bot.Tickets.All());
        Assert.Equal(("3", "201"), (ticket.Unit, ticket.Room));
    }

    [Fact]
    public async Task Contact_Skip_IsAButton()
    {
        await _bot.FileNoiseComplaint("alice")
            .InPrivateChatOf("alice").PressValue("跳过", "跳过")
            .AssertReply("好的，不留也没关系，有进展会在群里通知您。")
            .RunAsync();
    }

    [Fact]
    public async Task MyTickets_GivesTheDateAndTheHandler_AndANumberAloneShowsThatTicket()
    {
        await _bot.FileNoiseComplaint("alice")
            .As("alice").Send("@小灵通 我的工单")
            .AssertReply(r => Assert.Contains($"{Ticket1} 环境保护 幸福里小区5号楼：待签收（11月23日登记，王芳负责）", r.Text))
            .Send("@小灵通 " + Ticket1)
            .AssertReply(r =>
            {
                Assert.StartsWith($"工单 {Ticket1}\n", r.Text);
                Assert.Contains("负责：王芳", r.Text);
            })
            .As("carol").Send("@小灵通 " + Ticket1)
            .AssertReply(r =>
            {
                Assert.Equal($"没有找到您登记的工单 {Ticket1}。说「我的工单」可以看您登记过的全部工单。", r.Text);
                Assert.DoesNotContain("alice", r.Text);
            })
            .RunAsync();
    }

    [Fact]
    public async Task QueryByNumber_AfterAReply_ShowsTheLatestWordAndAfterReopeningNotTheOldClosingNote()
    {
        await _bot.FileNoiseComplaint("alice")
            .InPrivateChatOf(FakeDirectory.GridWorker)
            .PressCardButton(Ticket1, "办结")
            .AssertReplyContains("请填写办结说明")
            .Send("已联系城管处理")
            .AssertReply(r => Assert.StartsWith("要附一张办结现场照片吗", r.Text))
            .Press("跳过")
            .AssertReplyContains("已办结")
            .InConversation("group-1", group: true).As("alice")
            .AssertReply(r => Assert.EndsWith("问题解决了吗？", r.Text))
            .Press("已解决")
            .AssertReply("您对这次处理满意吗？")
            .Press("不满意")
            .AssertReplyContains("抱歉这次处理没能让您满意")
            .Send("@小灵通 查询 " + Ticket1)
            .AssertReply(r =>
            {
                Assert.Contains("状态：重办", r.Text);
                Assert.DoesNotContain("已联系城管处理", r.Text);
            })
            .InConversation(WorkerChat, group: false)
            .AssertReply(r => Assert.Contains("居民反馈：已解决，但不满意", r.Text))
            .RunAsync();
    }
}
