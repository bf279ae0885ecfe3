using CommunityBot.Dialogs.Conversation;
using CommunityBot.Tests.Harness;
using CommunityBot.Tickets;

namespace CommunityBot.Tests.Dialogs.Grievance;

/// <summary>Journeys 2, 3, 4 and 7: from a grievance in a group to a ticket, the worker's card, closing and feedback.</summary>
public sealed class GrievanceJourneyTests : IDisposable
{
    private const string Ticket1 = "WT20261123-0001";
    private const string WorkerChat = "private-" + FakeDirectory.GridWorker;

    private readonly BotHarness _bot = new();

    public void Dispose() => _bot.Dispose();

    [Fact]
    public async Task Grievance_InGroup_AsksOnlyWhatIsMissingThenRecordsTicketAndCardsTheWorker()
    {
        await FileNoiseComplaintAsync("alice").RunAsync();

        var ticket = Assert.Single(_bot.Tickets.All());
        Assert.Equal(Ticket1, ticket.Number);
        Assert.Equal("环境保护", ticket.Category);
        Assert.Equal("xfl", ticket.CompoundId);
        Assert.Equal("5", ticket.Building);
        Assert.Equal(FakeDirectory.GridWorker, ticket.AssigneeId);
        Assert.Equal(TicketStatus.Pending, ticket.Status);
        Assert.Equal(ticket.Status, TicketStatusRules.Replay(ticket.Events));
    }

    [Fact]
    public async Task Grievance_CancelAtPlace_OpensNoTicket()
    {
        await _bot.Conversation()
            .As("alice").Send("@小灵通 我要投诉")
            .AssertReply(r => Assert.Equal("请问是哪类问题？", r.Text))
            .Send("物业管理")
            .AssertReply(r => Assert.Equal("在哪个小区？", r.Text))
            .Send("幸福里小区")
            .AssertReplyContains("几号楼")
            .Send("取消")
            .AssertReply("好的，已取消。有需要随时@我。")
            .RunAsync();

        Assert.Empty(_bot.Tickets.All());
    }

    [Fact]
    public async Task Grievance_AbandonedMidway_ExpiresQuietlyAndOpensNoTicket()
    {
        await _bot.Conversation()
            .As("alice").Send("@小灵通 我要投诉")
            .AssertReply(r => Assert.Equal("请问是哪类问题？", r.Text))
            .AdvanceTime(TimeSpan.FromMinutes(31))
            .Send("物业管理")
            .AssertNoReply()
            .RunAsync();

        Assert.Empty(_bot.Tickets.All());
    }

    [Fact]
    public async Task Grievance_ChangePlaceAtConfirmation_AsksAgainAndRecordsTheCorrection()
    {
        await _bot.Conversation()
            .As("alice").Send("@小灵通 投诉幸福里3号楼楼道灯坏了一个星期")
            .AssertReply(r => Assert.Equal("请问是哪类问题？", r.Text))
            .Send("市政管养")
            .AssertReply(r => Assert.StartsWith("有现场照片", r.Text))
            .Send("跳过")
            .AssertReply(r => Assert.Contains("位置：幸福里小区3号楼", r.Text))
            .Press("改位置")
            .AssertReply(r => Assert.Equal("在哪个小区？", r.Text))
            .Send("幸福里小区")
            .AssertReplyContains("几号楼")
            .Send("4号楼")
            .AssertReply(r => Assert.Contains("位置：幸福里小区4号楼", r.Text))
            .Press("提交")
            .AssertReplyContains("已登记")
            .InConversation(WorkerChat, group: false)
            .AssertReply(r => Assert.Contains("幸福里小区4号楼", r.Text))
            .InConversation("private-alice", group: false)
            .AssertReplyContains("留个电话")
            .RunAsync();

        Assert.Equal("4", Assert.Single(_bot.Tickets.All()).Building);
    }

    [Fact]
    public async Task TwoResidents_FilingAtOnceInOneGroup_EachGetsTheirOwnTicket()
    {
        await _bot.Conversation()
            .As("alice").Send("@小灵通 我要投诉")
            .AssertReply(r => Assert.Equal("请问是哪类问题？", r.Text))
            .As("bob").Send("@小灵通 我要报修")
            .AssertReply(r => Assert.Equal("请问是哪类问题？", r.Text))
            .As("alice").Send("环境保护")
            .AssertReply(r => Assert.Equal("在哪个小区？", r.Text))
            .As("bob").Send("物业管理")
            .AssertReply(r => Assert.Equal("在哪个小区？", r.Text))
            .As("bob").Send("柳岸花园")
            .AssertReplyContains("几号楼")
            .As("alice").Send("幸福里小区")
            .AssertReplyContains("几号楼")
            .As("alice").Send("5号楼")
            .AssertReply(r => Assert.Equal("请简单说说发生了什么？", r.Text))
            .As("bob").Send("2号楼")
            .AssertReply(r => Assert.Equal("请简单说说发生了什么？", r.Text))
            .As("bob").Send("电梯停了两天没人修")
            .AssertReply(r => Assert.StartsWith("有现场照片", r.Text))
            .As("alice").Send("楼下烧烤店半夜太吵")
            .AssertReply(r => Assert.StartsWith("有现场照片", r.Text))
            .As("alice").Send("跳过")
            .AssertReply(r => Assert.Contains("楼下烧烤店半夜太吵", r.Text))
            .As("bob").Send("跳过")
            .AssertReply(r => Assert.Contains("电梯停了两天没人修", r.Text))
            .As("bob").Press("提交")
            .AssertReply(r => Assert.StartsWith("已登记，工单号 " + Ticket1, r.Text))
            .As("alice").Send("提交")
            .AssertReply(r => Assert.StartsWith("已登记，工单号 WT20261123-0002", r.Text))
            .InConversation(WorkerChat, group: false)
            .AssertReply(r => Assert.Contains("电梯停了两天没人修", r.Text))
            .AssertReply(r => Assert.Contains("楼下烧烤店半夜太吵", r.Text))
            .InConversation("private-bob", group: false)
            .AssertReplyContains($"工单 {Ticket1}")
            .InConversation("private-alice", group: false)
            .AssertReplyContains("工单 WT20261123-0002")
            .RunAsync();

        var tickets = _bot.Tickets.All().OrderBy(t => t.Number).ToList();
        Assert.Equal(["bob", "alice"], tickets.Select(t => t.Reporter.UserId));
        Assert.Equal(["物业管理", "环境保护"], tickets.Select(t => t.Category));
    }

    [Fact]
    public async Task Grievance_InPrivateChat_AsksForPhoneAndShowsItMasked()
    {
        await _bot.Conversation(group: false, conversationId: "alice")
            .As("alice").Send("投诉幸福里5号楼下水道堵了")
            .AssertReply(r => Assert.Equal("请问是哪类问题？", r.Text))
            .Send("市政管养")
            .AssertReply(r => Assert.StartsWith("有现场照片", r.Text))
            .Send("现场", attachments: [new InboundAttachment("image/jpeg", "https://example.invalid/p.jpg")])
            .AssertReply(r => Assert.StartsWith("留个电话", r.Text))
            .Send("13812345678")
            .AssertReply(r =>
            {
                Assert.Contains("电话：138****5678", r.Text);
                Assert.Contains("照片：1张", r.Text);
            })
            .Send("提交")
            .AssertReplyContains("已登记")
            .InConversation(WorkerChat, group: false)
            .AssertReply(r => Assert.Contains("13812345678", r.Text)) // the handling worker sees the number
            .RunAsync();

        var ticket = Assert.Single(_bot.Tickets.All());
        Assert.Equal("138****5678", ticket.Reporter.MaskedPhone);
        Assert.Single(ticket.Photos);
    }

    [Fact]
    public async Task Grievance_PhoneInGroupMessage_NeverRepeatedInTheGroup()
    {
        var replies = new List<string>();
        await _bot.Conversation()
            .As("alice").Send("@小灵通 投诉幸福里5号楼半夜装修太吵 我电话13812345678")
            .AssertReply(r => replies.Add(r.Text))
            .Send("环境保护")
            .AssertReply(r => replies.Add(r.Text))
            .Send("跳过")
            .AssertReply(r => replies.Add(r.Text))
            .Send("提交")
            .AssertReply(r => replies.Add(r.Text))
            .InConversation(WorkerChat, group: false)
            .AssertReply(r => Assert.Contains("13812345678", r.Text))
            .RunAsync();

        Assert.All(replies, text => Assert.DoesNotContain("5678", text));
    }

    [Fact]
    public async Task Worker_SignsClosesAndResidentSaysNotFixed_TicketIsReopened()
    {
        await FileNoiseComplaintAsync("alice")
            .InPrivateChatOf(FakeDirectory.GridWorker)
            .Press("签收")
            .AssertReply(r => Assert.StartsWith("已签收工单 " + Ticket1, r.Text))
            .PressCardButton(Ticket1, "办结")
            .AssertReply(r => Assert.StartsWith("请填写办结说明", r.Text))
            .Send("已联系城管，烧烤店夜间停止营业")
            .AssertReply(r => Assert.StartsWith("要附一张办结现场照片吗", r.Text))
            .Press("跳过")
            .AssertReply(r => Assert.Contains("已办结", r.Text))
            .InConversation("group-1", group: true).As("alice")
            .AssertReply(r =>
            {
                Assert.Contains("已联系城管", r.Text);
                Assert.EndsWith("问题解决了吗？", r.Text);
            })
            .Press("没解决")
            .AssertReply(r => Assert.Equal("您对这次处理满意吗？", r.Text))
            .Send("否")
            .AssertReplyContains("已重新办理")
            .InConversation(WorkerChat, group: false)
            .AssertReply(r => Assert.Equal("重办工单 " + Ticket1, r.Title))
            .RunAsync();

        var ticket = Assert.Single(_bot.Tickets.All());
        Assert.Equal(TicketStatus.Reopened, ticket.Status);
        Assert.Equal(ticket.Status, TicketStatusRules.Replay(ticket.Events));
        Assert.Equal(
            [TicketEventKind.Created, TicketEventKind.Assigned, TicketEventKind.Signed, TicketEventKind.Closed, TicketEventKind.Reopened],
            ticket.Events.Select(e => e.Kind));
    }

    [Fact]
    public async Task Worker_ClosesAndResidentIsSatisfied_TicketIsClosed()
    {
        await FileNoiseComplaintAsync("alice")
            .InPrivateChatOf(FakeDirectory.GridWorker)
            .PressCardButton(Ticket1, "办结")
            .AssertReply(r => Assert.StartsWith("请填写办结说明", r.Text))
            .Send("已处理")
            .AssertReply(r => Assert.StartsWith("要附一张办结现场照片吗", r.Text))
            .Press("跳过")
            .AssertReply(r => Assert.Contains("已办结", r.Text))
            .InConversation("group-1", group: true).As("alice")
            .AssertReply(r => Assert.EndsWith("问题解决了吗？", r.Text))
            .Send("是")
            .AssertReply(r => Assert.Equal("您对这次处理满意吗？", r.Text))
            .Press("满意")
            .AssertReply("谢谢您的反馈，工单已关闭。")
            .RunAsync();

        Assert.Equal(TicketStatus.Closed, Assert.Single(_bot.Tickets.All()).Status);
    }

    [Fact]
    public async Task Worker_Replies_ResidentGetsItInTheGroup()
    {
        await FileNoiseComplaintAsync("alice")
            .InPrivateChatOf(FakeDirectory.GridWorker)
            .PressCardButton(Ticket1, "回复")
            .AssertReply(r => Assert.StartsWith("请输入要回复居民的内容", r.Text))
            .Send("今晚十点我去现场看看")
            .AssertReply("已转告居民。")
            .InConversation("group-1", group: true)
            .AssertReply(r => Assert.Equal($"网格员王芳回复（工单 {Ticket1}）：今晚十点我去现场看看", r.Text))
            .RunAsync();

        Assert.Equal(TicketStatus.InProgress, Assert.Single(_bot.Tickets.All()).Status);
    }

    [Fact]
    public async Task Worker_WritesAPhoneAndRoomIntoReplyAndClosingNote_TheGroupSeesThemHidden()
    {
        await FileNoiseComplaintAsync("alice")
            .InPrivateChatOf(FakeDirectory.GridWorker)
            .PressCardButton(Ticket1, "回复")
            .AssertReply(r => Assert.StartsWith("请输入要回复居民的内容", r.Text))
            .Send("店主电话138 1234 5678，已约好去3-2-501看看")
            .AssertReply("已转告居民。")
            .InConversation("group-1", group: true)
            .AssertReply(r =>
            {
                Assert.StartsWith($"网格员王芳回复（工单 {Ticket1}）：店主电话", r.Text);
                Assert.DoesNotContain("5678", r.Text);
                Assert.DoesNotContain("501", r.Text);
            })
            .InPrivateChatOf(FakeDirectory.GridWorker)
            .PressCardButton(Ticket1, "办结")
            .AssertReply(r => Assert.StartsWith("请填写办结说明", r.Text))
            .Send("已联系店主13812345678，夜间停止营业")
            .AssertReply(r => Assert.StartsWith("要附一张办结现场照片吗", r.Text))
            .Press("跳过")
            .AssertReply(r => Assert.Contains("已办结", r.Text))
            .InConversation("group-1", group: true).As("alice")
            .AssertReply(r =>
            {
                Assert.Contains("夜间停止营业", r.Text);
                Assert.DoesNotContain("5678", r.Text);
            })
            .RunAsync();

        // The ticket's own record keeps what the worker wrote, for staff.
        Assert.Contains(Assert.Single(_bot.Tickets.All()).Events, e => e.Kind == TicketEventKind.Closed && e.Note.Contains("13812345678"));
    }

    [Fact]
    public async Task Stranger_PressingCloseOnATicket_IsRefused()
    {
        await FileNoiseComplaintAsync("alice")
            .InConversation("group-1", group: true).As("mallory")
            .PressCardButton(Ticket1, "办结")
            .AssertReply("您无权处理这个工单。")
            .RunAsync();

        Assert.Equal(TicketStatus.Pending, Assert.Single(_bot.Tickets.All()).Status);
    }

    [Fact]
    public async Task CommunityStaff_MayActOnAGridTicket()
    {
        await FileNoiseComplaintAsync("alice")
            .InPrivateChatOf(FakeDirectory.CommunityStaff)
            .PressCardButton(Ticket1, "签收")
            .AssertReply(r => Assert.StartsWith("已签收", r.Text))
            .RunAsync();
    }

    [Fact]
    public async Task SecondReport_SameCategoryAndBuilding_JoinsTheOpenTicket()
    {
        await FileNoiseComplaintAsync("alice")
            .As("bob").Send("@小灵通 投诉幸福里5号楼烧烤店吵死了")
            .AssertReply(r => Assert.Equal("请问是哪类问题？", r.Text))
            .Send("环境保护")
            .AssertReply(r => Assert.StartsWith("有现场照片", r.Text))
            .Send("跳过")
            .AssertReply(r => Assert.StartsWith("请确认", r.Text))
            .Send("提交")
            .AssertReply(r => Assert.Equal($"这个问题已有人反映，已并入工单 {Ticket1}（共2人反映），由王芳负责，有进展会通知您。", r.Text))
            .As("bob").Send("@小灵通 我的工单")
            .AssertReply(r => Assert.Contains(Ticket1, r.Text))
            // The joiner is asked for a phone privately, like the first reporter (issue 15) …
            .InConversation("private-bob", group: false)
            .AssertReply(r => Assert.StartsWith($"您在群里反映的问题已登记（工单 {Ticket1}）", r.Text))
            // … and the handler is told that someone joined, with what they said.
            .InConversation(WorkerChat, group: false)
            .AssertReply(r =>
            {
                Assert.StartsWith($"工单 {Ticket1}：又有居民bob反映了同一问题（共2人反映）", r.Text);
                Assert.Contains("烧烤店吵死了", r.Text);
            })
            .RunAsync();

        var ticket = Assert.Single(_bot.Tickets.All());
        Assert.Equal("bob", Assert.Single(ticket.Supporters).UserId);
    }

    [Fact]
    public async Task MyTickets_ShowsOnlyTheResidentsOwn()
    {
        await FileNoiseComplaintAsync("alice")
            .As("alice").Send("@小灵通 我的工单")
            .AssertReply(r => Assert.Contains($"{Ticket1} 环境保护 幸福里小区5号楼：待签收", r.Text))
            .As("carol").Send("@小灵通 我的工单")
            .AssertReply("您还没有登记过工单。遇到问题可以@我说「我要报修」。")
            .RunAsync();
    }

    [Fact]
    public async Task QueryByNumber_OwnTicketShown_SomeoneElsesNot()
    {
        await FileNoiseComplaintAsync("alice")
            .As("alice").Send($"@小灵通 查询 {Ticket1.ToLowerInvariant()}")
            .AssertReply($"工单 {Ticket1}\n类别：环境保护\n位置：幸福里小区5号楼\n状态：待签收\n登记：11月23日 20:00\n负责：王芳")
            .As("carol").Send($"@小灵通 查询{Ticket1}")
            .AssertReply($"没有找到您登记的工单 {Ticket1}。说「我的工单」可以看您登记过的全部工单。")
            .RunAsync();
    }

    [Fact]
    public async Task Contact_LeftPrivatelyAfterFilingInTheGroup_ReachesTheWorkerOnly()
    {
        await FileNoiseComplaintAsync("alice")
            .InPrivateChatOf("alice").Send("13812345678")
            .AssertReply("已记下电话 138****5678，只有处理工单的网格员能看到。")
            .InConversation(WorkerChat, group: false)
            .AssertReply($"工单 {Ticket1}：居民alice留了电话 13812345678。")
            .InConversation("group-1", group: true)
            .AssertNoReply()
            .RunAsync();

        var ticket = Assert.Single(_bot.Tickets.All());
        Assert.Equal("13812345678", ticket.Reporter.Phone);
        Assert.Contains(ticket.Events, e => e.Kind == TicketEventKind.ContactAdded);
    }

    [Fact]
    public async Task Contact_NotANumberThenSkipped_RecordsNothing()
    {
        await FileNoiseComplaintAsync("alice")
            .InPrivateChatOf("alice").Send("找我就行")
            .AssertReply(r => Assert.StartsWith("没看到电话号码", r.Text))
            .AssertReplyContains("留个电话")
            .Send("跳过")
            .AssertReply("好的，不留也没关系，有进展会在群里通知您。")
            .RunAsync();

        Assert.Null(Assert.Single(_bot.Tickets.All()).Reporter.Phone);
    }

    private ConversationFlow FileNoiseComplaintAsync(string resident) => _bot.FileNoiseComplaint(resident);
}
