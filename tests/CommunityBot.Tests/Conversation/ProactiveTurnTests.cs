using CommunityBot.Conversation;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Feedback;
using CommunityBot.Dialogs.Tickets;
using CommunityBot.Notifications;
using CommunityBot.Tests.Harness;
using CommunityBot.Tickets;
using Microsoft.Extensions.Logging.Abstractions;
using static CommunityBot.Tests.Harness.TicketFlows;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CommunityBot.Tests.Conversation;

/// <summary>
/// Issue 13, item 3: what the desk owes a resident after 办结 (the closing message and the survey) is a proactive turn,
/// requested in the close's own write and run through the one pipeline and bot: the resident's lock, their state and the
/// sends in one commit, run once, retried when it fails, run after a restart. The closing photo is re-hosted (issue 15
/// follow-up): it is not in the turn, it follows once the server has fetched it, through our own link.
/// </summary>
public sealed class ProactiveTurnTests : IDisposable
{
    private const string Photo = "https://files.example.org/closing/lamp.jpg";
    private const string AliceInGroup = TestChannel.Name + "/group-1/alice";
    private const string Feedback = "event:" + TicketPrompt.FeedbackEvent;

    private readonly TurnSpy _spy = new();
    private readonly BotHarness _bot;

    public ProactiveTurnTests()
    {
        _bot = new BotHarness(wrapBot: inner => _spy.Wrap(inner));
        _bot.PhotoServer.Serve(Photo, TestImages.Jpeg);
    }

    public void Dispose() => _bot.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Close_TheSurveyIsRequestedWithTheClose_AndAskedInTheResidentsOwnTurn_ThenTheAnswerIsRecorded(bool tiedGroup)
    {
        var flow = (tiedGroup ? await FileLampInTiedGroupAsync() : _bot.FileNoiseComplaint("alice"))
            .Then(() => Task.FromResult(_bot.RunsProactiveTurns = false));
        await CloseWithPhoto(flow)
            .InConversation("group-1", group: true).AssertNoReply()
            .Then(async () =>
            {
                // Decided and written with the close; nothing said to the resident, nothing in their dialog state yet.
                Assert.Equal(TicketStatus.Resolved, Assert.Single(_bot.Tickets.All()).Status);
                var request = Assert.Single(_bot.ProactiveTurns.Pending());
                Assert.Equal((TicketPrompt.FeedbackEvent, AliceInGroup), (request.Name, request.ResidentKey));
                Assert.Null(await _bot.States.LoadAsync(AliceInGroup, CancellationToken.None));
                Assert.DoesNotContain(_spy.Events, e => e.StartsWith(Feedback, StringComparison.Ordinal));
                _bot.RunsProactiveTurns = true;
            })
            .Then(_bot.DeliverAsync)
            .AssertReply(r =>
            {
                Assert.Equal($"您反映的问题（工单 {FirstTicket}）已办结：已处理\n问题解决了吗？", r.Text);
                Assert.Empty(r.Attachments);
                Assert.Equal(["已解决", "没解决"], r.Buttons.Select(b => b.Title));
            })
            .AssertNoReply()
            .Then(_bot.FetchMediaAsync)
            .AssertReply(r => Assert.Equal(TestImages.Jpeg, _bot.BytesBehind(Assert.Single(r.Attachments).Url)))
            .As("alice").Press("已解决")
            .AssertReply("您对这次处理满意吗？")
            .Press("满意")
            .AssertReply("谢谢您的反馈，工单已关闭。")
            .RunAsync();

        // The turn ran as an event of the resident's conversation, through the bot, and its request went with its commit.
        Assert.Single(_spy.Events, e => e == $"{Feedback}:{AliceInGroup}");
        Assert.Empty(_bot.ProactiveTurns.All());
        var ticket = Assert.Single(_bot.Tickets.All());
        Assert.Equal(TicketStatus.Closed, ticket.Status);
        Assert.Equal("解决：是；满意：是", Assert.Single(ticket.Events, e => e.Kind == TicketEventKind.Confirmed).Note);
    }

    [Fact]
    public async Task ProactiveTurn_Throws_NothingOfItIsKept_ItIsRetriedAfterTheBackOff_AndTheSurveyIsSentOnce()
    {
        var retryDelay = new OutboxOptions().FirstRetryDelay;
        await CloseWithPhoto(_bot.FileNoiseComplaint("alice").Then(() => Task.FromResult(_spy.FailEvents = 1)))
            // The failed turn sent nothing, apologised for nothing and left no state.
            .InConversation("group-1", group: true).AssertNoReply()
            .Then(async () =>
            {
                Assert.Null(await _bot.States.LoadAsync(AliceInGroup, CancellationToken.None));
                var failed = Assert.Single(_bot.ProactiveTurns.Pending());
                Assert.Equal(1, failed.Attempts);
                Assert.Equal(_bot.Time.GetUtcNow().UtcDateTime + retryDelay, failed.DueAt);
            })
            // Not before the back-off ends.
            .AdvanceTime(retryDelay - TimeSpan.FromSeconds(1))
            .Then(_bot.DeliverAsync)
            .AssertNoReply()
            .AdvanceTime(TimeSpan.FromSeconds(1))
            .Then(_bot.DeliverAsync)
            .AssertReply(r =>
            {
                Assert.StartsWith($"您反映的问题（工单 {FirstTicket}）已办结", r.Text);
                Assert.Empty(r.Attachments);
            })
            .Then(_bot.FetchMediaAsync)
            .AssertReply(r => Assert.Equal(TestImages.Jpeg, _bot.BytesBehind(Assert.Single(r.Attachments).Url)))
            .AdvanceTime(new OutboxOptions().MaxRetryDelay)
            .Then(_bot.DeliverAsync)
            .AssertNoReply()
            .As("alice").Press("已解决").AssertReply("您对这次处理满意吗？")
            .RunAsync();
        Assert.Empty(_bot.ProactiveTurns.All());
        Assert.Equal(2, _spy.Events.Count(e => e.StartsWith(Feedback, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ProactiveTurn_AndTheResidentsOwnMessageAtOnce_RunOneAfterTheOther_AndNeitherIsLost()
    {
        await CloseWithPhoto(_bot.FileNoiseComplaint("alice").Then(() => Task.FromResult(_bot.RunsProactiveTurns = false))).RunAsync();

        // Alice asks something in the group; her turn is held inside the bot (under her lock) while the survey's turn starts.
        _spy.HoldText = "物业电话多少";
        var ownMessage = _bot.Pipeline.ProcessAsync(FromAlice("物业电话多少"), CancellationToken.None);
        await _spy.Held.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var survey = _bot.ProactiveRunner.RunDueAsync(CancellationToken.None);
        Assert.DoesNotContain(_spy.Events, e => e.StartsWith(Feedback, StringComparison.Ordinal));

        _spy.Release.SetResult();
        Assert.Equal(TurnOutcome.Processed, await ownMessage.WaitAsync(TimeSpan.FromSeconds(30)));
        await survey.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(
            ["message:物业电话多少", "message-end", $"event:{TicketPrompt.FeedbackEvent}:{AliceInGroup}", "event-end"],
            _spy.Events.SkipWhile(e => e != "message:物业电话多少"));
        // Both are delivered in that order, and the survey's question is the one her next answer goes to.
        await _bot.Conversation()
            .Then(() => _bot.Dispatcher.DispatchDueAsync(CancellationToken.None))
            .AssertReplyContains("物业")
            .AssertReply(r => Assert.EndsWith("问题解决了吗？", r.Text, StringComparison.Ordinal))
            // (The earlier script used this conversation's default message ids.)
            .As("alice").Send("是", messageId: "alice-fixed").AssertReply("您对这次处理满意吗？")
            .Send("是", messageId: "alice-satisfied").AssertReply("谢谢您的反馈，工单已关闭。")
            .RunAsync();
        Assert.Empty(_bot.ProactiveTurns.All());
    }

    [Fact]
    public async Task ProactiveTurn_ItsRequestComesBackAfterItRan_OrRunsTwiceAtOnce_OneSurvey()
    {
        await CloseWithPhoto(_bot.FileNoiseComplaint("alice").Then(() => Task.FromResult(_bot.RunsProactiveTurns = false))).RunAsync();
        var request = Assert.Single(_bot.ProactiveTurns.Pending());

        // Two runs at once (a second runner over the same store): one turn, one survey.
        var second = new ProactiveTurnRunner(
            new LiteDbProactiveTurnQueue(_bot.ProactiveTurns, new ProcessedMessageLog(_bot.Database, _bot.Writer), _bot.Time), _bot.Pipeline, _bot.Time,
            NullLogger<ProactiveTurnRunner>.Instance);
        await Task.WhenAll(_bot.ProactiveRunner.RunDueAsync(CancellationToken.None), second.RunDueAsync(CancellationToken.None));
        await _bot.Dispatcher.DispatchDueAsync(CancellationToken.None);
        Assert.EndsWith("问题解决了吗？", Assert.Single(_bot.InboxOf("group-1")).Text, StringComparison.Ordinal);
        _bot.InboxOf("group-1").Clear();
        Assert.Empty(_bot.ProactiveTurns.All());

        // The same request again (redelivered, say a restored copy): turned away on its id, and removed.
        await _bot.Writer.WriteAsync(_ => _bot.ProactiveTurns.Insert([request]));
        _bot.RunsProactiveTurns = true;
        await _bot.DeliverAsync();
        Assert.Empty(_bot.InboxOf("group-1"));
        Assert.Empty(_bot.ProactiveTurns.All());
        Assert.Single(_spy.Events, e => e.StartsWith(Feedback, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Restart_WithASurveyStillToAsk_TheServiceRunsItAtStart()
    {
        await CloseWithPhoto(_bot.FileNoiseComplaint("alice").Then(() => Task.FromResult(_bot.RunsProactiveTurns = false))).RunAsync();
        Assert.Single(_bot.ProactiveTurns.Pending());

        // A new process over the same store: nothing wakes it, the request is just there.
        var store = new ProactiveTurnStore(_bot.Database, _bot.Writer, _bot.Time, MsOptions.Create(new OutboxOptions()));
        var runner = new ProactiveTurnRunner(
            new LiteDbProactiveTurnQueue(store, new ProcessedMessageLog(_bot.Database, _bot.Writer), _bot.Time), _bot.Pipeline, _bot.Time,
            NullLogger<ProactiveTurnRunner>.Instance);
        using var service = new ProactiveTurnService(store, runner, MsOptions.Create(new OutboxOptions()), NullLogger<ProactiveTurnService>.Instance);
        await service.StartAsync(CancellationToken.None);
        await _spy.FeedbackDone.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // Stopping waits for the round in progress, so its commit is in.
        await service.StopAsync(CancellationToken.None);

        await _bot.Conversation()
            .Then(() => _bot.Dispatcher.DispatchDueAsync(CancellationToken.None))
            .AssertReply(r => Assert.EndsWith("问题解决了吗？", r.Text, StringComparison.Ordinal))
            .As("alice").Send("是", messageId: "alice-fixed").AssertReply("您对这次处理满意吗？")
            .RunAsync();
        Assert.Empty(store.All());
    }

    [Fact]
    public async Task ProactiveTurn_NamingNothingKnown_IsDroppedQuietly_AndHoldsUpNoOne()
    {
        var alice = new ConversationReference { Channel = TestChannel.Name, ConversationId = "group-1", IsGroup = true, UserId = "alice", UserName = "alice" };
        await _bot.Writer.WriteAsync(_ => _bot.ProactiveTurns.Insert(
        [
            _bot.ProactiveTurns.Create(alice, "ticket.unknown", "{}"),
            _bot.ProactiveTurns.Create(alice, TicketPrompt.FeedbackEvent, "not json"),
            _bot.ProactiveTurns.Create(alice, TicketPrompt.FeedbackEvent, new TicketPrompt(FirstTicket, "已处理").ToJson()),
        ]));

        await _bot.DeliverAsync();
        Assert.EndsWith("问题解决了吗？", Assert.Single(_bot.InboxOf("group-1")).Text, StringComparison.Ordinal);
        _bot.InboxOf("group-1").Clear();
        Assert.Empty(_bot.ProactiveTurns.All());
        Assert.Equal(FeedbackDialog.DialogId, (await _bot.States.LoadAsync(AliceInGroup, CancellationToken.None))?.DialogId);
    }

    /// <summary>The worker closes the ticket with a note and a photo (in the same script: a new one would reuse its message ids).</summary>
    private static ConversationFlow CloseWithPhoto(ConversationFlow flow) => flow
        .InPrivateChatOf(FakeDirectory.GridWorker)
        .PressCardButton(FirstTicket, "办结")
        .AssertReplyContains("请填写办结说明")
        .Send("已处理", attachments: [new InboundAttachment("image/jpeg", Photo)])
        .AssertReply(r => Assert.StartsWith($"工单 {FirstTicket} 已办结", r.Text));

    private async Task<ConversationFlow> FileLampInTiedGroupAsync()
    {
        await _bot.TieGroupAsync("group-1", "xfl");
        return _bot.Conversation()
            .As("alice").Send("@小灵通 3号楼楼道灯坏了三天了")
            .AssertReply(r => Assert.Equal("请问是哪类问题？", r.Text))
            .Send("物业管理")
            .AssertReply(r => Assert.StartsWith("有现场照片", r.Text))
            .Send("跳过")
            .AssertReplyContains("按本群所在小区默认")
            .Press("提交")
            .AssertReplyContains("已登记，工单号 " + FirstTicket)
            .InConversation(WorkerChat, group: false).AssertReplyContains("幸福里小区3号楼")
            .InPrivateChatOf("alice").AssertReplyContains("已登记");
    }

    private InboundMessage FromAlice(string text) => new()
    {
        Id = "alice-own-1",
        Conversation = new ConversationReference
        {
            Channel = TestChannel.Name, ConversationId = "group-1", IsGroup = true, UserId = "alice", UserName = "alice",
            BotId = "bot", BotName = BotHarness.BotName,
        },
        Text = text,
        AddressedToBot = true,
        Timestamp = _bot.Time.GetUtcNow(),
        Authenticated = true,
    };

    /// <summary>
    /// Sits between the pipeline and the router: records which turns reach the bot and when they end, fails event turns
    /// on demand (after the router ran, so their state and replies exist and must be dropped), and holds a message.
    /// </summary>
    private sealed class TurnSpy
    {
        private readonly Lock _gate = new();
        private readonly List<string> _events = [];

        public int FailEvents { get; set; }
        public string? HoldText { get; set; }
        public TaskCompletionSource Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource FeedbackDone { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<string> Events
        {
            get
            {
                lock (_gate)
                {
                    return _events.ToList();
                }
            }
        }

        public IBot Wrap(IBot inner) => new Bot(this, inner);

        private void Record(string what)
        {
            lock (_gate)
            {
                _events.Add(what);
            }
        }

        private sealed class Bot(TurnSpy spy, IBot inner) : IBot
        {
            public async Task OnTurnAsync(TurnContext turn, CancellationToken cancellationToken)
            {
                var inbound = turn.Inbound;
                if (inbound.Kind == InboundKind.Event)
                {
                    spy.Record($"event:{inbound.EventName}:{inbound.StateKey}");
                    await inner.OnTurnAsync(turn, cancellationToken);
                    spy.Record("event-end");
                    if (spy.FailEvents > 0)
                    {
                        spy.FailEvents--;
                        throw new InvalidOperationException("the proactive turn failed (test)");
                    }

                    if (inbound.EventName == TicketPrompt.FeedbackEvent)
                    {
                        spy.FeedbackDone.TrySetResult();
                    }

                    return;
                }

                spy.Record("message:" + inbound.Text);
                if (spy.HoldText is { } hold && inbound.Text == hold)
                {
                    spy.Held.TrySetResult();
                    await spy.Release.Task;
                }

                await inner.OnTurnAsync(turn, cancellationToken);
                spy.Record("message-end");
            }
        }
    }
}
