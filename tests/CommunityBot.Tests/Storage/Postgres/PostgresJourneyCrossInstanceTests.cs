using CommunityBot.Broadcasts;
using CommunityBot.Clocks;
using CommunityBot.Conversation;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Engine;
using CommunityBot.Dialogs.Feedback;
using CommunityBot.Dialogs.Routing;
using CommunityBot.Dialogs.Tickets;
using CommunityBot.Dialogs.Understanding;
using CommunityBot.Faq;
using CommunityBot.Notices;
using CommunityBot.Notifications;
using CommunityBot.Storage;
using CommunityBot.Storage.Postgres;
using CommunityBot.Tests.Harness;
using CommunityBot.Tickets;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>
/// A resident's grievance through the real router and dialogs on two hosts sharing one PostgreSQL database (issue 14): the
/// dialog state, the turn's commit, the replies, the ticket desk, the take-overs, the help requests and the conversation
/// marks on PostgreSQL; the FAQ, the misses, the notices and the group places on each host's own in-memory LiteDB, seeded
/// alike. Each of the resident's messages goes to the other host than the one before, as a load balancer may send them;
/// the grievance still ends in exactly one ticket and one worker's card, and a message redelivered to the other host after
/// its commit is not answered twice. The turns the bot owes residents (the closing survey) run on each host's
/// <see cref="ProactiveTurnRunner"/> over <see cref="PostgresProactiveTurnQueue"/>: a request is deleted in its turn's
/// transaction, a turn whose lease another host took over keeps nothing, and with both hosts' runners draining each request
/// is answered once.
/// </summary>
public sealed class PostgresJourneyCrossInstanceTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private const string WorkerChat = "private-" + FakeDirectory.GridWorker;
    private const string Ticket1 = "WT20261204-0001";
    private const string Ticket2 = "WT20261204-0002";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 23, 0, 0, TimeSpan.FromHours(8)));
    private readonly List<IDisposable> _disposables = [];
    private NpgsqlDataSource _observer = null!;
    private int _messages;

    public async Task InitializeAsync()
    {
        if (PostgresTestServer.ConnectionString is null)
        {
            return;
        }

        _observer = database.NewDataSource();
        await using var command = _observer.CreateCommand(
            "TRUNCATE bot_state, processed_messages, outbox, tickets, ticket_reporters, ticket_submissions, ticket_counters, ticket_timers, handoffs, help_requests, conversation_marks, proactive_turns, media, media_files, open311_submissions RESTART IDENTITY");
        await command.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync()
    {
        foreach (var disposable in _disposables)
        {
            disposable.Dispose();
        }

        return Task.CompletedTask;
    }

    [PostgresFact]
    public async Task GrievanceWhoseTurnsAlternateBetweenHosts_RecordsOneTicketAndCardsTheWorkerOnce()
    {
        Host[] hosts = [NewHost(), NewHost()];
        string[] script = ["投诉幸福里5号楼下水道堵了", "市政管养", "跳过", "13812345678", "提交"];

        var replies = new List<string>();
        for (var i = 0; i < script.Length; i++)
        {
            var message = Message(script[i]);
            Assert.Equal(TurnOutcome.Processed, await hosts[i % 2].Pipeline.ProcessAsync(message, CancellationToken.None));
            replies.Add(Assert.Single(await RepliesToAsync("alice"), r => !replies.Contains(r.Text)).Text);
            if (i == 3)
            {
                // The channel redelivers the phone number to the other host after its commit: a duplicate, no second answer.
                Assert.Equal(TurnOutcome.Duplicate, await hosts[(i + 1) % 2].Pipeline.ProcessAsync(message, CancellationToken.None));
            }
        }

        Assert.Equal("请问是哪类问题？", replies[0]);
        Assert.StartsWith("有现场照片", replies[1]);
        Assert.StartsWith("留个电话", replies[2]);
        Assert.Contains("电话：138****5678", replies[3]);
        Assert.Contains("已登记", replies[4]);
        Assert.Equal(5, (await RepliesToAsync("alice")).Count);

        var ticket = Assert.Single(await new PostgresTicketStore(_observer).AllAsync(CancellationToken.None));
        Assert.Equal(("WT20261204-0001", "市政管养", FakeDirectory.GridWorker), (ticket.Number, ticket.Category, ticket.AssigneeId));
        Assert.Contains(ticket.Number, replies[4]);
        var card = Assert.Single(await RepliesToAsync(WorkerChat));
        Assert.Contains("幸福里5号楼下水道堵了", card.Text);
        Assert.Contains("13812345678", card.Text); // the handling worker sees the number
        Assert.Contains(ticket.Number, card.Title);
    }

    [PostgresFact]
    public async Task ProactiveTurn_ItsCommitDeletesItsRequest_WithItsReplyItsStateAndItsId()
    {
        var a = NewHost("a");
        var request = await QueueSurveyAsync(a, "alice", Ticket1);

        Assert.Null(await a.Runner.RunDueAsync(CancellationToken.None));

        Assert.Empty(await a.Prompts.AllAsync(CancellationToken.None));
        Assert.Equal($"您反映的问题（工单 {Ticket1}）已办结：已处理\n问题解决了吗？", Assert.Single(await RepliesToAsync("alice")).Text);
        Assert.Equal(FeedbackDialog.DialogId, (await StateOfAsync("alice"))?.DialogId);
        Assert.True(await RanAsync(request));
    }

    [PostgresFact]
    public async Task ProactiveTurn_ItsLeaseTakenOverBeforeItsCommit_KeepsNothing_AndTheOtherHostAsksOnce()
    {
        var hold = new HeldEvents();
        var (a, b) = (NewHost("a", hold.Wrap), NewHost("b"));
        var request = await QueueSurveyAsync(a, "alice", Ticket1);

        // Host a's turn is inside the bot, its survey asked but not committed, when its lease runs out and host b claims.
        var run = Task.Run(() => a.Runner.RunDueAsync(CancellationToken.None));
        await hold.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        _time.Advance(new OutboxOptions().Lease + TimeSpan.FromSeconds(1));
        var taken = Assert.Single(await b.Prompts.ClaimAsync("b", 10, TimeSpan.FromMinutes(1), CancellationToken.None));
        hold.Release.SetResult();
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        // Its commit failed and kept nothing; the request is still b's, with no attempt counted against it.
        Assert.Empty(await RepliesToAsync("alice"));
        Assert.Null(await StateOfAsync("alice"));
        Assert.False(await RanAsync(request));
        var entry = Assert.Single(await a.Prompts.AllAsync(CancellationToken.None));
        Assert.Equal(
            (request.Id, ProactiveTurnStatus.Pending, 0, "b", (DateTime?)taken.ClaimedUntil),
            (entry.Turn.Id, entry.Turn.Status, entry.Turn.Attempts, entry.ClaimedBy, entry.ClaimedUntil));

        // Host b runs it: the survey is asked once.
        Assert.True(await b.Prompts.ReleaseAsync(taken, CancellationToken.None));
        await b.Runner.RunDueAsync(CancellationToken.None);
        Assert.EndsWith("问题解决了吗？", Assert.Single(await RepliesToAsync("alice")).Text, StringComparison.Ordinal);
        Assert.Empty(await a.Prompts.AllAsync(CancellationToken.None));
        Assert.True(await RanAsync(request));
    }

    [PostgresFact]
    public async Task ProactiveTurnsQueuedOnce_BothHostsRunnersDrainingAtOnce_EachIsAskedOnceInOrder()
    {
        var (a, b) = (NewHost("a"), NewHost("b"));
        string[] residents = ["alice", "bob", "carol", "dave"];
        foreach (var resident in residents)
        {
            await QueueSurveyAsync(a, resident, Ticket1);
            await QueueSurveyAsync(b, resident, Ticket2);
        }

        await Task.WhenAll(
            Task.Run(() => a.Runner.RunDueAsync(CancellationToken.None)),
            Task.Run(() => b.Runner.RunDueAsync(CancellationToken.None))).WaitAsync(TimeSpan.FromMinutes(1));

        foreach (var resident in residents)
        {
            Assert.Equal(
                [$"您反映的问题（工单 {Ticket1}）已办结：已处理\n问题解决了吗？", $"您反映的问题（工单 {Ticket2}）已办结：已处理\n问题解决了吗？"],
                (await RepliesToAsync(resident)).Select(r => r.Text));
        }

        Assert.Empty(await a.Prompts.AllAsync(CancellationToken.None));
    }

    private InboundMessage Message(string text) => new()
    {
        Id = "m" + Interlocked.Increment(ref _messages),
        Conversation = new ConversationReference { Channel = TestChannel.Name, ConversationId = "alice", IsGroup = false, UserId = "alice", UserName = "alice" },
        Text = text,
        AddressedToBot = true,
        Authenticated = true,
        Timestamp = _time.GetUtcNow(),
    };

    // The messages sent to the conversation so far, in the order committed.
    private async Task<List<OutboundMessage>> RepliesToAsync(string conversationId) =>
        (await new PostgresOutbox(_observer, _time, MsOptions.Create(new OutboxOptions())).AllAsync(CancellationToken.None))
            .Where(e => e.Message.ConversationKey == TestChannel.Name + "/" + conversationId)
            .OrderBy(e => e.Id)
            .Select(e => System.Text.Json.JsonSerializer.Deserialize<OutboundMessage>(e.Message.Message, DialogJson.Options)!)
            .ToList();

    private static ConversationReference PrivateChatOf(string user) =>
        new() { Channel = TestChannel.Name, ConversationId = user, IsGroup = false, UserId = user, UserName = user };

    // As the desk asks for a survey after a close: in a transaction of its own, here without the ticket.
    private async Task<ProactiveTurn> QueueSurveyAsync(Host host, string user, string ticketNumber)
    {
        var request = host.Prompts.Create(PrivateChatOf(user), TicketPrompt.FeedbackEvent, new TicketPrompt(ticketNumber, "已处理").ToJson());
        await using var connection = await _observer.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await host.Prompts.InsertAsync([request], transaction, CancellationToken.None);
        await transaction.CommitAsync();
        return request;
    }

    private Task<DialogState?> StateOfAsync(string user) =>
        new BotStateDialogStore(new PostgresStorage(_observer, _time)).LoadAsync(PrivateChatOf(user).StateKey, CancellationToken.None);

    // The request's turn was committed (its id is among the processed messages).
    private Task<bool> RanAsync(ProactiveTurn request) =>
        new PostgresProcessedMessageLog(_observer).ContainsAsync(ProcessedMessageLog.KeyOf(TestChannel.Name, request.MessageId), CancellationToken.None);

    private Host NewHost(string instanceId = "host", Func<IBot, IBot>? wrapBot = null)
    {
        var source = database.NewDataSource();
        var prompts = new PostgresProactiveTurnStore(source, _time, MsOptions.Create(new OutboxOptions()));
        var storage = new PostgresStorage(source, _time);
        var states = new BotStateDialogStore(storage);
        var outbox = new PostgresOutbox(source, _time, MsOptions.Create(new OutboxOptions()));
        var handoffs = new PostgresHandoffStore(source);
        var memory = new PostgresConversationMemory(source);
        var directory = new FakeDirectory();
        var desk = new TicketDesk(
            new PostgresTicketRepository(
                source, new PostgresTicketStore(source), new PostgresTicketTimerStore(source), outbox,
                prompts, handoffs,
                new PostgresMediaStore(source), new PostgresOpen311SubmissionStore(source)),
            directory, handoffs, directory, _time, MsOptions.Create(new TicketOptions()), NullLogger<TicketDesk>.Instance,
            TicketClock.KeepingTimersElsewhere(new ClockOptions()));

        // What this host keeps for itself: the knowledge, seeded as on every host, and the group places.
        var local = new LiteDatabase(new MemoryStream());
        var writer = new LiteDbWriter(local, NullLogger<LiteDbWriter>.Instance);
        _disposables.Add(writer);
        _disposables.Add(local);
        var faq = new FaqStore(local);
        faq.ReplaceAll(DemoKnowledgeBase.Entries.ToList());
        var understanding = FaqTestFactory.CreateUnderstanding(faq);
        var places = new GroupPlaces(
            new GroupRegistry(local, writer), directory, directory, new Outbox(local, writer, _time, MsOptions.Create(new OutboxOptions())), writer, memory,
            NullLogger<GroupPlaces>.Instance);
        var router = new TurnRouter(
            states, MsOptions.Create(new DialogOptions()), understanding, understanding, new MissStore(local, writer),
            new PostgresHelpRequestStore(source, NullLogger<PostgresHelpRequestStore>.Instance), memory, desk, directory, directory,
            new NoticeBoard(new NoticeStore(local, writer), MsOptions.Create(new ClockOptions()), NullLogger<NoticeBoard>.Instance),
            places, MsOptions.Create(new RouterOptions { Name = BotHarness.BotName }));

        var processed = new PostgresProcessedMessageLog(source);
        var turns = new PostgresTurnStore(source, processed, storage, outbox, new PostgresGroupRegistry(source));
        var middleware = new TurnMiddleware(
            new DedupeMiddleware(NullLogger<DedupeMiddleware>.Instance),
            new ResidentLockMiddleware(),
            new TurnCommitMiddleware(states, storage, turns, _time),
            new SizeLimitMiddleware(MsOptions.Create(new TurnOptions())),
            relay: null,
            new TurnErrorHandler(states, NullLogger<TurnErrorHandler>.Instance));
        var pipeline = new TurnPipeline(new ConversationBot(wrapBot?.Invoke(router) ?? router, NullLogger<ConversationBot>.Instance), middleware);
        var runner = new ProactiveTurnRunner(
            new PostgresProactiveTurnQueue(prompts, processed, _time, MsOptions.Create(new OutboxOptions()), instanceId), pipeline, _time,
            NullLogger<ProactiveTurnRunner>.Instance);
        return new Host(pipeline, prompts, runner);
    }

    private sealed record Host(TurnPipeline Pipeline, PostgresProactiveTurnStore Prompts, ProactiveTurnRunner Runner);

    /// <summary>Holds the first event turn inside the bot, after the router ran, until released.</summary>
    private sealed class HeldEvents
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IBot Wrap(IBot inner) => new Bot(this, inner);

        private sealed class Bot(HeldEvents hold, IBot inner) : IBot
        {
            public async Task OnTurnAsync(TurnContext turn, CancellationToken cancellationToken)
            {
                await inner.OnTurnAsync(turn, cancellationToken);
                if (turn.Inbound.Kind == InboundKind.Event && hold.Entered.TrySetResult())
                {
                    await hold.Release.Task;
                }
            }
        }
    }
}
