using CommunityBot.Tests.Harness;
using CommunityBot.Tickets;
using static CommunityBot.Tests.Harness.TicketFlows;

namespace CommunityBot.Tests.Dialogs.Grievance;

/// <summary>Journey 5 and the rest of the worker's card: 接管 with relay both ways and the timeouts, 转派, 联动, 退回.</summary>
public sealed class WorkerActionJourneyTests : IDisposable
{
    private const string OtherWorkerChat = "private-" + FakeDirectory.OtherGridWorker;
    private const string StaffChat = "private-" + FakeDirectory.CommunityStaff;

    private readonly BotHarness _bot = new();

    public void Dispose() => _bot.Dispose();

    [Fact]
    public async Task TakeOver_RelaysBothWaysAndTheAssistantStaysSilentForThatResidentOnly()
    {
        await _bot.FileNoiseComplaint("alice")
            .InPrivateChatOf(FakeDirectory.GridWorker)
            .PressCardButton(FirstTicket, "接管")
            .AssertReply(r => Assert.StartsWith("已接管居民alice的对话", r.Text))
            .InConversation("group-1", group: true)
            .AssertReply($"网格员王芳已接入（工单 {FirstTicket}），接下来您的消息会直接转给TA。")
            // The resident's messages reach the worker, and the assistant says nothing, even to a question it knows.
            .As("alice").Send("@小灵通 物业电话多少")
            .AssertNoReply()
            .InConversation(WorkerChat, group: false)
            .AssertReply($"居民alice（工单 {FirstTicket}）：物业电话多少")
            // The worker's messages reach the resident.
            .As(FakeDirectory.GridWorker).Send("阿姨您好，我今晚过去看看")
            .AssertNoReply()
            .InConversation("group-1", group: true)
            .AssertReply("网格员王芳：阿姨您好，我今晚过去看看")
            // Another resident in the same group is still served by the assistant.
            .As("bob").Send("@小灵通 物业电话多少")
            .AssertReply(r => Assert.Contains("物业", r.Text))
            .RunAsync();

        var ticket = Assert.Single(_bot.Tickets.All());
        Assert.Contains(ticket.Events, e => e.Kind == TicketEventKind.TakenOver && e.Actor == FakeDirectory.GridWorker);
    }

    [Fact]
    public async Task TakeOver_WorkerWritesAPhoneNumber_TheGroupSeesItHidden()
    {
        await TakeOverAsync()
            .InPrivateChatOf(FakeDirectory.GridWorker).Send("有事打我电话 139-0000-1234")
            .AssertNoReply()
            .InConversation("group-1", group: true)
            .AssertReply(r =>
            {
                Assert.StartsWith("网格员王芳：有事打我电话", r.Text);
                Assert.DoesNotContain("1234", r.Text);
            })
            .RunAsync();
    }

    [Fact]
    public async Task TakeOver_EndedByTheWorker_TheAssistantAnswersAgain()
    {
        await TakeOverAsync()
            .InPrivateChatOf(FakeDirectory.GridWorker).Send("结束接管")
            .AssertReply($"已结束接管（工单 {FirstTicket}），对话交还助手。")
            .InConversation("group-1", group: true)
            .AssertReply(r => Assert.StartsWith("网格员王芳已结束这次对话", r.Text))
            .As("alice").Send("@小灵通 物业电话多少")
            .AssertReply(r => Assert.Contains("物业", r.Text))
            .RunAsync();

        Assert.Empty(_bot.Handoffs.All());
        Assert.Contains(Assert.Single(_bot.Tickets.All()).Events, e => e.Kind == TicketEventKind.HandedBack);
    }

    [Fact]
    public async Task TakeOver_FromTheCard_EachRelayedMessageIsOnTheTimelineInOrderUntilEnded()
    {
        await _bot.FileNoiseComplaint("alice")
            // Before the take-over the assistant answers and nothing goes on the timeline.
            .InConversation("group-1", group: true)
            .As("alice").Send("@小灵通 物业电话多少")
            .AssertReply(r => Assert.Contains("物业", r.Text))
            .InPrivateChatOf(FakeDirectory.GridWorker)
            .PressCardButton(FirstTicket, "接管")
            .AssertReply(r => Assert.StartsWith("已接管", r.Text))
            .InConversation("group-1", group: true)
            .AssertReply(r => Assert.StartsWith("网格员王芳已接入", r.Text))
            .As("alice").Send("@小灵通 师傅什么时候来")
            .AssertNoReply()
            // Another resident of the group is not in the take-over: served by the assistant, not recorded.
            .As("bob").Send("@小灵通 物业电话多少")
            .AssertReply(r => Assert.Contains("物业", r.Text))
            .InPrivateChatOf(FakeDirectory.GridWorker)
            .AssertReply($"居民alice（工单 {FirstTicket}）：师傅什么时候来")
            .Send("阿姨您好，今晚七点到")
            .AssertNoReply()
            .InConversation("group-1", group: true)
            .AssertReply("网格员王芳：阿姨您好，今晚七点到")
            .As("alice").Send("好的，我在家等")
            .AssertNoReply()
            .InPrivateChatOf(FakeDirectory.GridWorker)
            .AssertReply($"居民alice（工单 {FirstTicket}）：好的，我在家等")
            .Send("结束接管")
            .AssertReply($"已结束接管（工单 {FirstTicket}），对话交还助手。")
            .InConversation("group-1", group: true)
            .AssertReply(r => Assert.StartsWith("网格员王芳已结束这次对话", r.Text))
            // After 结束接管 the resident talks to the assistant again, and nothing more is recorded.
            .As("alice").Send("@小灵通 物业电话多少")
            .AssertReply(r => Assert.Contains("物业", r.Text))
            .RunAsync();

        var ticket = Assert.Single(_bot.Tickets.All());
        var alice = "resident:" + ticket.Reporter.Key;
        var log = ticket.Events
            .Where(e => e.Kind is TicketEventKind.TakenOver or TicketEventKind.HandedBack
                or TicketEventKind.RelayedToResident or TicketEventKind.RelayedFromResident)
            .Select(e => (e.Kind, e.Actor, e.Note ?? "")) // LiteDB reads an empty note back as null
            .ToList();
        Assert.Equal(
            [
                (TicketEventKind.TakenOver, FakeDirectory.GridWorker, ""),
                (TicketEventKind.RelayedFromResident, alice, "师傅什么时候来"),
                (TicketEventKind.RelayedToResident, FakeDirectory.GridWorker, "阿姨您好，今晚七点到"),
                (TicketEventKind.RelayedFromResident, alice, "好的，我在家等"),
                (TicketEventKind.HandedBack, "system", "网格员结束接管"),
            ],
            log);
    }

    [Fact]
    public async Task TakeOver_Idle30Minutes_ReturnsToTheAssistantAndTellsBoth()
    {
        await TakeOverAsync()
            .AdvanceTime(TimeSpan.FromMinutes(29))
            .Then(SweepAsync)
            .AdvanceTime(TimeSpan.FromMinutes(1))
            .Then(SweepAsync)
            .InConversation("group-1", group: true)
            .AssertReply(r => Assert.StartsWith("网格员王芳已结束这次对话", r.Text))
            .InConversation(WorkerChat, group: false)
            .AssertReply(r => Assert.Contains("已空闲超时，交还助手", r.Text))
            .RunAsync();

        Assert.Empty(_bot.Handoffs.All());
    }

    [Fact]
    public async Task TakeOver_ResidentUnanswered15Minutes_IsToldAndTheCommunityIsNotifiedOnce()
    {
        await TakeOverAsync()
            .InConversation("group-1", group: true)
            .As("alice").Send("@小灵通 人呢？还没来")
            .InConversation(WorkerChat, group: false)
            .AssertReply(r => Assert.EndsWith("人呢？还没来", r.Text))
            .AdvanceTime(TimeSpan.FromMinutes(15))
            .Then(SweepAsync)
            .InConversation("group-1", group: true)
            .AssertReply($"抱歉，网格员王芳暂时没有回复，已请赵主任跟进（工单 {FirstTicket}），请稍候。")
            .InConversation(StaffChat, group: false)
            .AssertReply(r =>
            {
                Assert.Equal("居民等待回复 " + FirstTicket, r.Title);
                Assert.Contains("居民已等待15分钟", r.Text);
            })
            // Sweeping again does not repeat it.
            .AdvanceTime(TimeSpan.FromMinutes(5))
            .Then(SweepAsync)
            .InConversation("group-1", group: true)
            .AssertNoReply()
            .RunAsync();

        Assert.Single(Assert.Single(_bot.Tickets.All()).Events, e => e.Kind == TicketEventKind.Escalated);
    }

    [Fact]
    public async Task TakeOver_TicketClosed_ThreadReturnsAndFeedbackIsAsked()
    {
        await TakeOverAsync()
            .InPrivateChatOf(FakeDirectory.GridWorker)
            .PressCardButton(FirstTicket, "办结")
            .AssertReply(r => Assert.StartsWith("请填写办结说明", r.Text))
            .Send("已和烧烤店沟通，十点后停止营业")
            .AssertReply(r => Assert.StartsWith("要附一张办结现场照片吗", r.Text))
            .Press("跳过")
            .AssertReply(r => Assert.StartsWith($"工单 {FirstTicket} 已办结", r.Text))
            .InConversation("group-1", group: true)
            .AssertReply(r => Assert.Contains("问题解决了吗", r.Text))
            .RunAsync();

        Assert.Empty(_bot.Handoffs.All());
    }

    [Fact]
    public async Task TakeOver_ByAStranger_IsRefused()
    {
        await _bot.FileNoiseComplaint("alice")
            .InPrivateChatOf("mallory")
            .PressCardButton(FirstTicket, "接管")
            .AssertReply("您无权处理这个工单。")
            .RunAsync();

        Assert.Empty(_bot.Handoffs.All());
    }

    [Fact]
    public async Task Transfer_NamesTheNewWorker_WhoGetsTheCardAndMustSign()
    {
        await _bot.FileNoiseComplaint("alice")
            .InPrivateChatOf(FakeDirectory.GridWorker)
            .PressCardButton(FirstTicket, "签收")
            .AssertReply(r => Assert.StartsWith("已签收", r.Text))
            .PressCardButton(FirstTicket, "转派")
            .AssertReply(r => Assert.StartsWith("请写上接手人的姓名和转派原因", r.Text))
            .Send("李强 这家店在二网格")
            .AssertReply($"工单 {FirstTicket} 已转派给李强，原因已记录。")
            .InConversation(OtherWorkerChat, group: false)
            .AssertReply(r =>
            {
                Assert.Equal("转派工单 " + FirstTicket, r.Title);
                Assert.Contains("王芳转派：李强 这家店在二网格", r.Text);
            })
            .RunAsync();

        var ticket = Assert.Single(_bot.Tickets.All());
        Assert.Equal(FakeDirectory.OtherGridWorker, ticket.AssigneeId);
        Assert.Equal(TicketStatus.Pending, ticket.Status);
        Assert.Equal(ticket.Status, TicketStatusRules.Replay(ticket.Events));
    }

    [Fact]
    public async Task Transfer_WithoutAKnownName_ChangesNothing()
    {
        await _bot.FileNoiseComplaint("alice")
            .InPrivateChatOf(FakeDirectory.GridWorker)
            .PressCardButton(FirstTicket, "转派")
            .AssertReply(r => Assert.StartsWith("请写上接手人的姓名", r.Text))
            .Send("给隔壁网格吧")
            .AssertReply(r => Assert.StartsWith("没找到接手人", r.Text))
            .RunAsync();

        Assert.Equal(FakeDirectory.GridWorker, Assert.Single(_bot.Tickets.All()).AssigneeId);
    }

    [Fact]
    public async Task CoHandle_AddsAWorkerWhoMayThenActOnTheTicket()
    {
        await _bot.FileNoiseComplaint("alice")
            .InPrivateChatOf(FakeDirectory.GridWorker)
            .PressCardButton(FirstTicket, "联动")
            .AssertReply(r => Assert.StartsWith("请写上联动人的姓名", r.Text))
            .Send("请李强一起去现场")
            .AssertReply($"已请李强联动处理工单 {FirstTicket}。")
            .InPrivateChatOf(FakeDirectory.OtherGridWorker)
            .AssertReply(r => Assert.Equal("联动工单 " + FirstTicket, r.Title))
            .PressCardButton(FirstTicket, "签收")
            .AssertReply(r => Assert.StartsWith("已签收", r.Text))
            .RunAsync();

        var ticket = Assert.Single(_bot.Tickets.All());
        Assert.Equal([FakeDirectory.OtherGridWorker], ticket.CoHandlers);
        Assert.Equal(FakeDirectory.GridWorker, ticket.AssigneeId);
    }

    [Fact]
    public async Task Return_GoesToTheCommunityWithTheReason()
    {
        await _bot.FileNoiseComplaint("alice")
            .InPrivateChatOf(FakeDirectory.GridWorker)
            .PressCardButton(FirstTicket, "退回")
            .AssertReply(r => Assert.StartsWith("请说明退回原因", r.Text))
            .Send("商户经营问题不属于网格职责")
            .AssertReply(r => Assert.StartsWith($"工单 {FirstTicket} 已退回，交赵主任重新分派", r.Text))
            .InConversation(StaffChat, group: false)
            .AssertReply(r =>
            {
                Assert.Equal("退回工单 " + FirstTicket, r.Title);
                Assert.Contains("王芳退回：商户经营问题不属于网格职责", r.Text);
            })
            .RunAsync();

        var ticket = Assert.Single(_bot.Tickets.All());
        Assert.Equal(TicketStatus.Returned, ticket.Status);
        Assert.Equal(TicketLevel.Community, ticket.Level);
        Assert.Equal(FakeDirectory.CommunityStaff, ticket.AssigneeId);
    }

    private ConversationFlow TakeOverAsync() => _bot.FileNoiseComplaint("alice")
        .InPrivateChatOf(FakeDirectory.GridWorker)
        .PressCardButton(FirstTicket, "接管")
        .AssertReply(r => Assert.StartsWith("已接管", r.Text))
        .InConversation("group-1", group: true)
        .AssertReply(r => Assert.StartsWith("网格员王芳已接入", r.Text));

    /// <summary>What <see cref="HandoffSweeper"/> does on its timer, then delivers what it sent.</summary>
    private async Task SweepAsync()
    {
        await _bot.Desk.SweepHandoffsAsync(_bot.Time.GetUtcNow(), CancellationToken.None);
        await _bot.Dispatcher.DispatchDueAsync(CancellationToken.None);
    }
}
