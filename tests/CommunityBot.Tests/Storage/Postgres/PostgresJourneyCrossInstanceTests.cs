using CommunityBot.Broadcasts;
using CommunityBot.Clocks;
using CommunityBot.Conversation;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Engine;
using CommunityBot.Dialogs.Routing;
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
/// its commit is not answered twice.
/// </summary>
public sealed class PostgresJourneyCrossInstanceTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private const string WorkerChat = "private-" + FakeDirectory.GridWorker;
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

    private Host NewHost()
    {
        var source = database.NewDataSource();
        var storage = new PostgresStorage(source, _time);
        var states = new BotStateDialogStore(storage);
        var outbox = new PostgresOutbox(source, _time, MsOptions.Create(new OutboxOptions()));
        var handoffs = new PostgresHandoffStore(source);
        var memory = new PostgresConversationMemory(source);
        var directory = new FakeDirectory();
        var desk = new TicketDesk(
            new PostgresTicketRepository(
                source, new PostgresTicketStore(source), new PostgresTicketTimerStore(source), outbox,
                new PostgresProactiveTurnStore(source, _time, MsOptions.Create(new OutboxOptions())), handoffs,
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

        var turns = new PostgresTurnStore(source, new PostgresProcessedMessageLog(source), storage, outbox, new PostgresGroupRegistry(source));
        var middleware = new TurnMiddleware(
            new DedupeMiddleware(NullLogger<DedupeMiddleware>.Instance),
            new ResidentLockMiddleware(),
            new TurnCommitMiddleware(states, storage, turns, _time),
            new SizeLimitMiddleware(MsOptions.Create(new TurnOptions())),
            relay: null,
            new TurnErrorHandler(states, NullLogger<TurnErrorHandler>.Instance));
        return new Host(new TurnPipeline(new ConversationBot(router, NullLogger<ConversationBot>.Instance), middleware));
    }

    private sealed record Host(TurnPipeline Pipeline);
}
