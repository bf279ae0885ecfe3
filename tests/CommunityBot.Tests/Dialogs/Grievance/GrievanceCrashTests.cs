using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Grievance;
using CommunityBot.Dialogs.Tickets;
using CommunityBot.Tests.Harness;
using CommunityBot.Tickets;

namespace CommunityBot.Tests.Dialogs.Grievance;

/// <summary>
/// The process dies after the ticket (and its card) are written and before the turn commits: the channel redelivers
/// the same 提交, which must give the resident the receipt of that ticket, not a second ticket or nothing.
/// </summary>
public sealed class GrievanceCrashTests : IDisposable
{
    private readonly CancellationTokenSource _crash = new();
    private readonly BotHarness _bot;
    private DyingDesk? _desk;

    public GrievanceCrashTests() => _bot = new BotHarness(wrapDesk: inner => _desk = new DyingDesk(inner, _crash));

    public void Dispose()
    {
        _bot.Dispose();
        _crash.Dispose();
    }

    [Fact]
    public async Task Submit_CrashAfterTheTicketIsWritten_RedeliveryGivesTheSameTicketsReceiptAndNoSecondTicket()
    {
        await ToConfirmation(_bot.Conversation()).RunAsync();

        _bot.TurnToken = _crash.Token;
        _desk!.DieAfterFiling = true;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _bot.Conversation().As("alice").Send("提交", messageId: "submit-1").RunAsync());
        Assert.Single(_bot.Tickets.All());
        // After the restart: the outbox, and the proactive turns requested before the crash.
        await _bot.DeliverAsync();
        Assert.Empty(_bot.InboxOf("group-1")); // the receipt was never committed
        // Requested with the ticket before the crash, and not asked a second time below.
        var privately = _bot.InboxOf("private-alice");
        Assert.StartsWith($"您在群里反映的问题已登记（工单 {TicketFlows.FirstTicket}）", privately.Dequeue().Text);
        Assert.Empty(privately);

        _bot.TurnToken = CancellationToken.None;
        await _bot.Conversation()
            .As("alice").Send("提交", messageId: "submit-1")
            .AssertReply($"已登记，工单号 {TicketFlows.FirstTicket}。由王芳负责，30分钟内响应。查询进度请@我说「我的工单」。")
            .InConversation(TicketFlows.WorkerChat, group: false)
            .AssertReply(r => Assert.Equal("新工单 " + TicketFlows.FirstTicket, r.Title))
            .RunAsync();

        var ticket = Assert.Single(_bot.Tickets.All());
        Assert.Empty(ticket.Supporters);
        Assert.Equal(2, _desk.Filings);
    }

    [Fact]
    public async Task Submit_CrashThenAnHourlyCleanupBeforeTheRedelivery_RedeliveryStillGivesTheSameReceipt()
    {
        await ToConfirmation(_bot.Conversation()).RunAsync();
        _bot.TurnToken = _crash.Token;
        _desk!.DieAfterFiling = true;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _bot.Conversation().As("alice").Send("提交", messageId: "submit-1").RunAsync());

        // The cleanup runs between the crash and the channel's retry a few minutes later: the submission is well within
        // its retention and must survive it.
        _bot.Time.Advance(TimeSpan.FromMinutes(5));
        _bot.Cleanup().Sweep(_bot.Time.GetUtcNow());

        _bot.TurnToken = CancellationToken.None;
        await _bot.Conversation()
            .As("alice").Send("提交", messageId: "submit-1")
            .AssertReply($"已登记，工单号 {TicketFlows.FirstTicket}。由王芳负责，30分钟内响应。查询进度请@我说「我的工单」。")
            .InConversation(TicketFlows.WorkerChat, group: false)
            .AssertReply(r => Assert.Equal("新工单 " + TicketFlows.FirstTicket, r.Title))
            .InConversation("private-alice", group: false)
            .AssertReply(r => Assert.StartsWith($"您在群里反映的问题已登记（工单 {TicketFlows.FirstTicket}）", r.Text))
            .RunAsync();
        Assert.Single(_bot.Tickets.All());
    }

    [Fact]
    public async Task Submit_CrashMidTurn_LeavesTheDialogAtTheConfirmationStep()
    {
        await ToConfirmation(_bot.Conversation()).RunAsync();
        var before = await _bot.States.LoadAsync(StateKey(), CancellationToken.None);

        _bot.TurnToken = _crash.Token;
        _desk!.DieAfterFiling = true;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _bot.Conversation().As("alice").Send("提交", messageId: "submit-1").RunAsync());

        var after = await _bot.States.LoadAsync(StateKey(), CancellationToken.None);
        Assert.NotNull(after);
        Assert.Equal(before!.Step, after.Step);
        Assert.Equal(before.Data, after.Data);
    }

    [Fact]
    public async Task Submit_TheSameResidentReportsTheSameProblemAgain_IsToldItIsAlreadyReportedAndNothingIsAdded()
    {
        // A different message id is a new submission, of a problem this resident already reported.
        await ToConfirmation(_bot.FileNoiseComplaint("alice"))
            .Send("提交", messageId: "another")
            .AssertReply($"您已反映过这个问题，工单 {TicketFlows.FirstTicket} 正在办理，由王芳负责。查询进度请@我说「我的工单」。")
            .RunAsync();

        var ticket = Assert.Single(_bot.Tickets.All());
        Assert.Empty(ticket.Supporters);
        Assert.DoesNotContain(ticket.Events, e => e.Kind == TicketEventKind.Supported);
        Assert.Equal(2, _desk!.Filings);
    }

    private static ConversationFlow ToConfirmation(ConversationFlow flow) => flow
        .As("alice").Send("@小灵通 投诉5号楼楼下烧烤店天天半夜吵得睡不着")
        .AssertReply("请问是哪类问题？")
        .Send("环境保护")
        .AssertReply("在哪个小区？")
        .Send("幸福里小区")
        .AssertReply(r => Assert.StartsWith("有现场照片", r.Text))
        .Send("跳过")
        .AssertReply(r => Assert.StartsWith("请确认：", r.Text));

    private static string StateKey() =>
        new ConversationReference { Channel = TestChannel.Name, ConversationId = "group-1", IsGroup = true, UserId = "alice" }.StateKey;

    /// <summary>Files for real, then (once asked) cancels the turn as a dying process would, before the turn commits.</summary>
    private sealed class DyingDesk(ITicketDesk inner, CancellationTokenSource crash) : ITicketDesk
    {
        public bool DieAfterFiling { get; set; }

        public int Filings { get; private set; }

        public async Task<TicketReceipt> FileAsync(GrievanceReport report, DateTimeOffset at, CancellationToken cancellationToken)
        {
            var receipt = await inner.FileAsync(report, at, CancellationToken.None);
            Filings++;
            if (DieAfterFiling)
            {
                DieAfterFiling = false;
                await crash.CancelAsync();
                crash.Token.ThrowIfCancellationRequested();
            }

            return receipt;
        }

        public Task<IReadOnlyList<TicketSummary>> MineAsync(string channel, string userId, CancellationToken cancellationToken) =>
            inner.MineAsync(channel, userId, cancellationToken);

        public Task<WorkerActionResult> ActAsync(WorkerActionRequest request, CancellationToken cancellationToken) =>
            inner.ActAsync(request, cancellationToken);

        public Task<bool> RelayFromResidentAsync(InboundMessage message, DateTimeOffset at, CancellationToken cancellationToken) =>
            inner.RelayFromResidentAsync(message, at, cancellationToken);

        public Task<string?> RelayFromWorkerAsync(InboundMessage message, DateTimeOffset at, CancellationToken cancellationToken) =>
            inner.RelayFromWorkerAsync(message, at, cancellationToken);

        public Task<ContactRecorded> RecordContactAsync(ContactResult contact, ConversationReference resident, DateTimeOffset at, CancellationToken cancellationToken) =>
            inner.RecordContactAsync(contact, resident, at, cancellationToken);

        public Task<FeedbackRecorded> RecordFeedbackAsync(string ticketNumber, ConversationReference resident, bool fixedIt, bool satisfied, DateTimeOffset at, CancellationToken cancellationToken) =>
            inner.RecordFeedbackAsync(ticketNumber, resident, fixedIt, satisfied, at, cancellationToken);
    }
}
