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
using CommunityBot.Understanding;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>
/// A resident's journeys through the real router and dialogs on two hosts sharing one PostgreSQL database (issue 14): the
/// dialog state, the turn's commit, the replies, the ticket desk, the take-overs, the help requests, the conversation marks
/// and the FAQ and the notices (each host's copies reloaded on the knowledge notifications) on PostgreSQL; the misses and
/// the group places on each host's own in-memory LiteDB. Each of the resident's messages goes to the other host than the one
/// before, as a load balancer may send them; a grievance still ends in exactly one ticket and one worker's card, a message
/// redelivered to the other host after its commit is not answered twice, and a knowledge-base or notice edit committed
/// through one host is what the other answers with once its notification has arrived. The turns the bot owes residents
/// (the closing survey) run on each host's <see cref="ProactiveTurnRunner"/> over <see cref="PostgresProactiveTurnQueue"/>:
/// a request is deleted in its turn's transaction, a turn whose lease another host took over keeps nothing, and with both
/// hosts' runners draining each request is answered once.
/// </summary>
public sealed class PostgresJourneyCrossInstanceTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private const string WorkerChat = "private-" + FakeDirectory.GridWorker;
    private const string Ticket1 = "WT20261204-0001";
    private const string Ticket2 = "WT20261204-0002";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 23, 0, 0, TimeSpan.FromHours(8)));
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30); // only stops a broken build from hanging the run
    private readonly List<IDisposable> _disposables = [];
    private readonly List<Task> _running = [];
    private readonly CancellationTokenSource _stop = new();
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
            "TRUNCATE bot_state, processed_messages, outbox, tickets, ticket_reporters, ticket_submissions, ticket_counters, ticket_timers, handoffs, help_requests, conversation_marks, proactive_turns, media, media_files, open311_submissions, faq_entries, notices RESTART IDENTITY");
        await command.ExecuteNonQueryAsync();
        await InTransactionAsync(_observer, t => new PostgresFaqStore(_observer, new KnowledgeChanges()).ReplaceAllAsync(DemoKnowledgeBase.Entries, t, CancellationToken.None));
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_running);
        _stop.Dispose();
        foreach (var disposable in _disposables)
        {
            disposable.Dispose();
        }
    }

    [PostgresFact]
    public async Task GrievanceWhoseTurnsAlternateBetweenHosts_RecordsOneTicketAndCardsTheWorkerOnce()
    {
        Host[] hosts = [await NewHostAsync(), await NewHostAsync()];
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
    public async Task KnowledgeBaseEditCommittedThroughOneHost_IsWhatTheOtherAnswersWith()
    {
        Host[] hosts = [await NewHostAsync(), await NewHostAsync()];
        Assert.Contains("0371-66005678", await AskAsync(hosts[1], "今天停水吗"));
        Assert.Contains("车位申请表", await AskAsync(hosts[1], "车位怎么申请"));

        // Through host A, as the office's edit is: a changed answer, a new question, an entry switched off.
        var outage = DemoKnowledgeBase.Entries.Single(e => e.Id == "t-water-outage").Copy();
        outage.Answer = "停水通知改在“幸福里”小程序发布，也可拨打0371-66007777查询。";
        var parking = DemoKnowledgeBase.Entries.Single(e => e.Id == "t-parking").Copy();
        parking.Enabled = false;
        var library = new FaqEntry
        {
            Id = "t-library", Question = "社区图书馆几点开门", Answer = "幸福里社区图书馆周二至周日9:00-17:00开放，周一闭馆。",
            Category = "文体活动", Similar = ["图书馆开放时间", "图书室什么时候开"], Enabled = true,
        };
        await EditThroughAsync(hosts[0], [outage, parking, library], seenBy: hosts[1]);

        Assert.Contains("0371-66007777", await AskAsync(hosts[1], "今天停水吗"));
        Assert.Contains("周一闭馆", await AskAsync(hosts[1], "图书馆开放时间"));
        Assert.DoesNotContain("车位申请表", await AskAsync(hosts[1], "车位怎么申请"));
        // The host the edit went through answers the same, from its own notification.
        await EditSeenAsync(hosts[0]);
        Assert.Contains("0371-66007777", await AskAsync(hosts[0], "今天停水吗"));
        Assert.Contains("周一闭馆", await AskAsync(hosts[0], "图书馆开放时间"));
    }

    [PostgresFact]
    public async Task NoticePublishedThroughOneHost_AnswersTheOthersQuestions_AndTakesReportsFromBoth()
    {
        Host[] hosts = [await NewHostAsync(), await NewHostAsync()];
        Assert.Contains("0371-66005678", await AskAsync(hosts[1], "今天停水吗")); // the FAQ, while there is no notice

        var notice = await NoticeThroughAsync(hosts[0], seenBy: hosts[1], (store, t) => store.CreateAsync(WaterNotice(), t, CancellationToken.None));
        var answer = await AskAsync(hosts[1], "今天停水吗");
        Assert.Contains(WaterNoticeText, answer);
        Assert.Contains("幸福里小区5-6号楼", answer);

        // Reports through either host join the one notice and open no ticket.
        await EditSeenAsync(hosts[0]);
        Assert.Contains("不会生成工单", await AskAsync(hosts[0], "我要报修：幸福里5号楼怎么又停水了"));
        Assert.Contains("共2人反映", await AskAsync(hosts[1], "我要报修：幸福里6号楼怎么又停水了", from: "bob"));
        var stored = (await new PostgresNoticeStore(_observer, new KnowledgeChanges()).FindAsync(notice.Id, CancellationToken.None))!;
        Assert.Equal(2, stored.Reports.Count);
        Assert.Empty(await new PostgresTicketStore(_observer).AllAsync(CancellationToken.None));

        // Withdrawn through host A: host B answers from the FAQ again.
        await NoticeThroughAsync(hosts[0], seenBy: hosts[1], (store, t) => store.UpdateAsync(notice.Id, n =>
        {
            n.WithdrawnUtc = _time.GetUtcNow().UtcDateTime;
            return true;
        }, t, CancellationToken.None));
        Assert.Contains("0371-66005678", await AskAsync(hosts[1], "今天停水吗"));
    }

    private const string WaterNoticeText = "因管网检修，幸福里5、6号楼今晚停水，预计明早恢复。";

    // The journey clock is 2026-12-04 23:00 (+08:00): the notice runs from 22:00 to 08:00 the next morning.
    private static Notice WaterNotice() => new()
    {
        Title = "幸福里停水通知",
        Text = WaterNoticeText,
        Category = "水电气暖",
        Keywords = NoticeKeywords.Defaults("水电气暖", "停水通知").ToList(),
        CommunityId = "FH-01",
        Places = [new NoticePlace { CompoundId = "xfl", CompoundName = "幸福里小区", Buildings = ["5号楼", "6号楼"] }],
        StartUtc = new DateTime(2026, 12, 4, 14, 0, 0, DateTimeKind.Utc),
        EndUtc = new DateTime(2026, 12, 5, 0, 0, 0, DateTimeKind.Utc),
        Author = "boss",
        CreatedUtc = new DateTime(2026, 12, 4, 13, 0, 0, DateTimeKind.Utc),
    };

    // Commits a notice change through host's own notice store, then waits until seenBy has reloaded its notices from it.
    private static async Task<T> NoticeThroughAsync<T>(Host host, Host seenBy, Func<PostgresNoticeStore, NpgsqlTransaction, Task<T>> write)
    {
        var notified = NotifiedAsync(seenBy, KnowledgeTopic.Notices);
        T written = default!;
        await InTransactionAsync(host.Source, async t => written = await write(host.Notices, t));
        var version = await notified.WaitAsync(Bound);
        await RebuiltAsync(() => seenBy.NoticesMirror.BuiltAt, version, h => seenBy.NoticesMirror.Rebuilt += h);
        return written;
    }

    // Commits the entries through host's own FAQ store, then waits until seenBy has the notification and has rebuilt its
    // index from what was committed.
    private static async Task EditThroughAsync(Host host, IReadOnlyCollection<FaqEntry> entries, Host seenBy)
    {
        var notified = NotifiedAsync(seenBy, KnowledgeTopic.Faq);
        await InTransactionAsync(host.Source, t => host.Faq.UpsertAsync(entries, t, CancellationToken.None));
        await RebuiltAsync(seenBy, await notified.WaitAsync(Bound));
    }

    // Waits until host's FAQ index and notices are at least as new as the versions it knows now.
    private static async Task EditSeenAsync(Host host)
    {
        await RebuiltAsync(host, host.Changes.VersionOf(KnowledgeTopic.Faq));
        await RebuiltAsync(() => host.NoticesMirror.BuiltAt, host.Changes.VersionOf(KnowledgeTopic.Notices), h => host.NoticesMirror.Rebuilt += h);
    }

    // The topic's version at host once the topic's next notification (an edit's, not listening's start) has arrived there.
    private static Task<long> NotifiedAsync(Host host, KnowledgeTopic topic)
    {
        var seen = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Changes.Changed += change =>
        {
            if (change.Topic == topic && change.Payload is not null)
            {
                seen.TrySetResult(host.Changes.VersionOf(topic));
            }
        };
        return seen.Task;
    }

    private static Task RebuiltAsync(Host host, long version) => RebuiltAsync(() => host.Index.BuiltAt, version, h => host.Index.Rebuilt += h);

    // Waits for a copy built at version or later: subscribed first, then the copy's version read, so none is missed.
    private static async Task RebuiltAsync(Func<long> builtAt, long version, Action<Action<long>> subscribe)
    {
        var rebuilt = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        subscribe(at =>
        {
            if (at >= version)
            {
                rebuilt.TrySetResult();
            }
        });
        if (builtAt() < version)
        {
            await rebuilt.Task.WaitAsync(Bound);
        }
    }

    // The one answer the resident gets to text, asked through host.
    private async Task<string> AskAsync(Host host, string text, string from = "alice")
    {
        var before = (await RepliesToAsync(from)).Count;
        Assert.Equal(TurnOutcome.Processed, await host.Pipeline.ProcessAsync(Message(text, from), CancellationToken.None));
        var replies = await RepliesToAsync(from);
        Assert.Equal(before + 1, replies.Count);
        return replies[^1].Text;
    }

    private static async Task InTransactionAsync(NpgsqlDataSource source, Func<NpgsqlTransaction, Task> write)
    {
        await using var connection = await source.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await write(transaction);
        await transaction.CommitAsync();
    }

    [PostgresFact]
    public async Task ProactiveTurn_ItsCommitDeletesItsRequest_WithItsReplyItsStateAndItsId()
    {
        var a = await NewHostAsync("a");
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
        var (a, b) = (await NewHostAsync("a", hold.Wrap), await NewHostAsync("b"));
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
        var (a, b) = (await NewHostAsync("a"), await NewHostAsync("b"));
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

    private InboundMessage Message(string text, string from = "alice") => new()
    {
        Id = "m" + Interlocked.Increment(ref _messages),
        Conversation = new ConversationReference { Channel = TestChannel.Name, ConversationId = from, IsGroup = false, UserId = from, UserName = from },
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

    private async Task<Host> NewHostAsync(string instanceId = "host", Func<IBot, IBot>? wrapBot = null)
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

        // The FAQ as a host holds it: its index, rebuilt on the notifications its own listener receives.
        var changes = new KnowledgeChanges();
        var faq = new PostgresFaqStore(source, changes);
        var matcher = new FaqMatcher(new FaqMatchingOptions());
        var index = new PostgresFaqIndex(faq, matcher, changes, _time, NullLogger<PostgresFaqIndex>.Instance);
        _disposables.Add(index);
        var listener = new PostgresKnowledgeListener(source, changes, _time, NullLogger<PostgresKnowledgeListener>.Instance);
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        listener.Listening += () => listening.TrySetResult();
        _running.Add(listener.RunAsync(_stop.Token));
        await listening.Task.WaitAsync(Bound);
        _running.Add(index.RunAsync(_stop.Token));
        var understanding = new FaqUnderstanding(matcher, index);
        var notices = new PostgresNoticeStore(source, changes);
        var noticesMirror = new PostgresNoticeMirror(source, notices, changes, _time, NullLogger<PostgresNoticeMirror>.Instance);
        _disposables.Add(noticesMirror);
        _running.Add(noticesMirror.RunAsync(_stop.Token));

        // What this host keeps for itself: the misses and the group places.
        var local = new LiteDatabase(new MemoryStream());
        var writer = new LiteDbWriter(local, NullLogger<LiteDbWriter>.Instance);
        _disposables.Add(writer);
        _disposables.Add(local);
        var places = new GroupPlaces(
            new GroupRegistry(local, writer), directory, directory, new Outbox(local, writer, _time, MsOptions.Create(new OutboxOptions())), writer, memory,
            NullLogger<GroupPlaces>.Instance);
        var router = new TurnRouter(
            states, MsOptions.Create(new DialogOptions()), understanding, understanding, new MissStore(local, writer),
            new PostgresHelpRequestStore(source, NullLogger<PostgresHelpRequestStore>.Instance), memory, desk, directory, directory,
            new NoticeBoard(noticesMirror, MsOptions.Create(new ClockOptions()), NullLogger<NoticeBoard>.Instance),
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
        var host = new Host(pipeline, prompts, runner, source, faq, index, notices, noticesMirror, changes);
        await EditSeenAsync(host); // the knowledge base seeded before it started, and the notices (none)
        return host;
    }

    private sealed record Host(
        TurnPipeline Pipeline, PostgresProactiveTurnStore Prompts, ProactiveTurnRunner Runner, NpgsqlDataSource Source,
        PostgresFaqStore Faq, PostgresFaqIndex Index, PostgresNoticeStore Notices, PostgresNoticeMirror NoticesMirror,
        KnowledgeChanges Changes);

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
