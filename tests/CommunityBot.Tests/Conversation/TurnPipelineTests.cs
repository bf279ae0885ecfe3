using CommunityBot.Broadcasts;
using CommunityBot.Conversation;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Engine;
using CommunityBot.Notifications;
using CommunityBot.Storage;
using CommunityBot.Tests.Harness;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CommunityBot.Tests.Conversation;

public sealed class TurnPipelineTests : IDisposable
{
    private readonly LiteDatabase _database = new(new MemoryStream());
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private readonly TestChannel _channel = new();
    private readonly LiteDbWriter _writer;
    private readonly LiteDbStorage _storage;
    private readonly BotStateDialogStore _states;
    private readonly Outbox _outbox;
    private readonly OutboxDispatcher _dispatcher;

    public TurnPipelineTests()
    {
        _writer = new LiteDbWriter(_database, NullLogger<LiteDbWriter>.Instance);
        _storage = new LiteDbStorage(_database, _writer, _time);
        _states = new BotStateDialogStore(_storage);
        var options = MsOptions.Create(new OutboxOptions { FirstRetryDelay = TimeSpan.FromSeconds(5), MaxAttempts = 3 });
        _outbox = new Outbox(_database, _writer, _time, options);
        _dispatcher = new OutboxDispatcher(_outbox, [_channel], options, _time, NullLogger<OutboxDispatcher>.Instance);
    }

    public void Dispose()
    {
        _writer.Dispose();
        _database.Dispose();
    }

    [Fact]
    public async Task Turn_BotThrows_ApologisesClearsDialogAndHidesTheException()
    {
        await _states.SaveAsync("test/g/alice", new DialogState { DialogId = "x", Step = "A", LastActive = _time.GetUtcNow() }, CancellationToken.None);
        var pipeline = CreatePipeline(new ThrowingBot());

        var outcome = await pipeline.ProcessAsync(Message("m1", "你好"), CancellationToken.None);
        await _dispatcher.DispatchDueAsync(CancellationToken.None);

        Assert.Equal(TurnOutcome.Failed, outcome);
        var reply = Assert.Single(_channel.Sent).Message.Text;
        Assert.Equal("抱歉，刚才出了点问题，请稍后再试。", reply);
        Assert.DoesNotContain("secret", reply, StringComparison.Ordinal);
        Assert.Null(await _states.LoadAsync("test/g/alice", CancellationToken.None));
    }

    [Fact]
    public async Task Turn_TextOverLimit_AsksToShortenWithoutRunningTheBot()
    {
        var bot = new EchoBot();
        var pipeline = CreatePipeline(bot, new TurnOptions { MaxTextLength = 20 });

        await pipeline.ProcessAsync(Message("m1", new string('吵', 21)), CancellationToken.None);
        await _dispatcher.DispatchDueAsync(CancellationToken.None);

        Assert.Equal(0, bot.Turns);
        Assert.Contains("消息太长了", Assert.Single(_channel.Sent).Message.Text);
    }

    [Fact]
    public async Task Turn_ReplyIsInTheOutboxBeforeDelivery()
    {
        var pipeline = CreatePipeline(new EchoBot());

        await pipeline.ProcessAsync(Message("m1", "你好"), CancellationToken.None);

        Assert.Single(_outbox.All());
        Assert.Empty(_channel.Sent);
        Assert.Equal(1, await _dispatcher.DispatchDueAsync(CancellationToken.None));
        Assert.Empty(_outbox.All());
    }

    [Fact]
    public async Task Outbox_ChannelDown_RetriesLaterAndDeliversOnceInOrder()
    {
        var pipeline = CreatePipeline(new EchoBot());
        await pipeline.ProcessAsync(Message("m1", "一"), CancellationToken.None);
        await pipeline.ProcessAsync(Message("m2", "二"), CancellationToken.None);
        _channel.FailNext = 1;

        Assert.Equal(0, await _dispatcher.DispatchDueAsync(CancellationToken.None));
        Assert.Empty(_channel.Sent);
        Assert.Equal(0, await _dispatcher.DispatchDueAsync(CancellationToken.None)); // not due yet

        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(2, await _dispatcher.DispatchDueAsync(CancellationToken.None));
        Assert.Equal(["一", "二"], _channel.Sent.Select(s => s.Message.Text));
        Assert.Equal(0, await _dispatcher.DispatchDueAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Outbox_ChannelKeepsFailing_GivesUpAfterMaxAttempts()
    {
        var pipeline = CreatePipeline(new EchoBot());
        await pipeline.ProcessAsync(Message("m1", "一"), CancellationToken.None);
        _channel.FailNext = 10;

        for (var i = 0; i < 5; i++)
        {
            await _dispatcher.DispatchDueAsync(CancellationToken.None);
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        var entry = Assert.Single(_outbox.All());
        Assert.Equal(OutboxStatus.Failed, entry.Status);
        Assert.Equal(3, entry.Attempts);
    }

    [Fact]
    public async Task Outbox_RestartWithUndeliveredReply_DeliversItOnce()
    {
        var pipeline = CreatePipeline(new EchoBot());
        await pipeline.ProcessAsync(Message("m1", "一"), CancellationToken.None);

        // A new process: a fresh outbox and dispatcher over the same database.
        var options = MsOptions.Create(new OutboxOptions());
        var outbox = new Outbox(_database, _writer, _time, options);
        var dispatcher = new OutboxDispatcher(outbox, [_channel], options, _time, NullLogger<OutboxDispatcher>.Instance);
        Assert.Equal(1, await dispatcher.DispatchDueAsync(CancellationToken.None));
        Assert.Equal(0, await dispatcher.DispatchDueAsync(CancellationToken.None));
        Assert.Single(_channel.Sent);
    }

    [Fact]
    public async Task Turn_SameIdConcurrently_RunsOnce()
    {
        var bot = new EchoBot();
        var pipeline = CreatePipeline(bot);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => pipeline.ProcessAsync(Message("same", "一"), CancellationToken.None))));

        Assert.Equal(1, bot.Turns);
        Assert.Single(outcomes, o => o == TurnOutcome.Processed);
    }

    [Fact]
    public async Task Turn_DialogState_IsCommittedWithTheTurnAndOtherResidentsStatesAtOnce()
    {
        var bot = new StatefulBot(_states, _database);
        var pipeline = CreatePipeline(bot);

        await pipeline.ProcessAsync(Message("m1", "一"), CancellationToken.None);

        Assert.False(bot.OwnStateStoredDuringTheTurn);   // kept aside until the turn's write
        Assert.True(bot.OwnStateReadableDuringTheTurn);  // but the turn itself reads what it saved
        Assert.True(bot.OtherStateStoredDuringTheTurn);  // another resident's state is not the turn's
        Assert.Equal("A", (await _states.LoadAsync("test/g/alice", CancellationToken.None))?.Step);
    }

    [Fact]
    public async Task Turn_CancelledBeforeItCommits_LeavesTheDialogStateAsItWas()
    {
        await _states.SaveAsync("test/g/alice", new DialogState { DialogId = "x", Step = "before", LastActive = _time.GetUtcNow() }, CancellationToken.None);
        using var dying = new CancellationTokenSource();
        var pipeline = CreatePipeline(new DyingBot(_states, dying));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pipeline.ProcessAsync(Message("m1", "一"), dying.Token));

        Assert.Equal("before", (await _states.LoadAsync("test/g/alice", CancellationToken.None))?.Step);
        var retried = await CreatePipeline(new EchoBot()).ProcessAsync(Message("m1", "一"), CancellationToken.None);
        Assert.Equal(TurnOutcome.Processed, retried); // the message id was not committed either
    }

    [Fact]
    public async Task Turn_ResidentStateWrittenElsewhereMeanwhile_StaleETagIsRefusedAndTheOtherWriteKept()
    {
        await _states.SaveAsync("test/g/alice", new DialogState { DialogId = "x", Step = "before", LastActive = _time.GetUtcNow() }, CancellationToken.None);
        var pipeline = CreatePipeline(new RacingBot(_states, _storage));

        await Assert.ThrowsAsync<StorageConflictException>(() => pipeline.ProcessAsync(Message("m1", "一"), CancellationToken.None));

        Assert.Equal("theirs", (await _states.LoadAsync("test/g/alice", CancellationToken.None))?.Step);
        Assert.Empty(_outbox.All()); // nothing of the refused turn was committed, its message id neither
        var retried = await CreatePipeline(new EchoBot()).ProcessAsync(Message("m1", "一"), CancellationToken.None);
        Assert.Equal(TurnOutcome.Processed, retried);
    }

    private TurnPipeline CreatePipeline(IBot bot, TurnOptions? options = null) => new(
        bot, _states, _storage, new ProcessedMessageLog(_database, _writer), _outbox, new GroupRegistry(_database, _writer), _writer, _time,
        MsOptions.Create(options ?? new TurnOptions()));

    private InboundMessage Message(string id, string text) => new()
    {
        Id = id,
        Conversation = new ConversationReference { Channel = TestChannel.Name, ConversationId = "g", IsGroup = true, UserId = "alice" },
        Text = text,
        AddressedToBot = true,
        Timestamp = _time.GetUtcNow(),
    };

    private sealed class ThrowingBot : IBot
    {
        public Task OnTurnAsync(TurnContext turn, CancellationToken cancellationToken)
        {
            turn.Reply("half a reply");
            throw new InvalidOperationException("secret internals");
        }
    }

    private sealed class StatefulBot(BotStateDialogStore states, LiteDatabase database) : IBot
    {
        public bool OwnStateStoredDuringTheTurn { get; private set; }

        public bool OwnStateReadableDuringTheTurn { get; private set; }

        public bool OtherStateStoredDuringTheTurn { get; private set; }

        public async Task OnTurnAsync(TurnContext turn, CancellationToken cancellationToken)
        {
            await states.SaveAsync(turn.Inbound.StateKey, new DialogState { DialogId = "x", Step = "A", LastActive = turn.Now }, cancellationToken);
            await states.SaveAsync("test/private-bob/bob", new DialogState { DialogId = "y", Step = "B", LastActive = turn.Now }, cancellationToken);
            var stored = database.GetCollection("bot_state");
            OwnStateStoredDuringTheTurn = stored.FindById(BotStateDialogStore.StorageKeyOf(turn.Inbound.StateKey)) is not null;
            OtherStateStoredDuringTheTurn = stored.FindById(BotStateDialogStore.StorageKeyOf("test/private-bob/bob")) is not null;
            OwnStateReadableDuringTheTurn = (await states.LoadAsync(turn.Inbound.StateKey, cancellationToken))?.Step == "A";
            turn.Reply("ok");
        }
    }

    /// <summary>Reads its resident's state, then another writer (a second instance) changes it before the turn saves its own.</summary>
    private sealed class RacingBot(BotStateDialogStore states, LiteDbStorage storage) : IBot
    {
        public async Task OnTurnAsync(TurnContext turn, CancellationToken cancellationToken)
        {
            var mine = await states.LoadAsync(turn.Inbound.StateKey, cancellationToken);
            var key = BotStateDialogStore.StorageKeyOf(turn.Inbound.StateKey);
            var theirs = (StoredItem)(await storage.ReadAsync([key], cancellationToken))[key];
            theirs[ResidentDialogState.DialogProperty] = Newtonsoft.Json.Linq.JObject.FromObject(new DialogState { DialogId = "x", Step = "theirs", LastActive = turn.Now });
            await storage.WriteNowAsync(new Dictionary<string, object> { [key] = theirs });

            mine!.Step = "mine";
            await states.SaveAsync(turn.Inbound.StateKey, mine, cancellationToken);
            turn.Reply("ok");
        }
    }

    private sealed class DyingBot(BotStateDialogStore states, CancellationTokenSource dying) : IBot
    {
        public async Task OnTurnAsync(TurnContext turn, CancellationToken cancellationToken)
        {
            await states.DeleteAsync(turn.Inbound.StateKey, cancellationToken);
            turn.Reply("never sent");
            await dying.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private sealed class EchoBot : IBot
    {
        private int _turns;

        public int Turns => _turns;

        public async Task OnTurnAsync(TurnContext turn, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _turns);
            await Task.Yield();
            turn.Reply(turn.Inbound.Text);
        }
    }
}
