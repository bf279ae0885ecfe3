using CommunityBot.Broadcasts;
using CommunityBot.Conversation;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Notifications;
using CommunityBot.Storage;
using CommunityBot.Tests.Harness;
using LiteDB;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using CardAction = CommunityBot.Dialogs.Conversation.CardAction;
using ConversationReference = CommunityBot.Dialogs.Conversation.ConversationReference;
using IBot = CommunityBot.Dialogs.Conversation.IBot;
using IMiddleware = Microsoft.Bot.Builder.IMiddleware;
using MsOptions = Microsoft.Extensions.Options.Options;
using TurnContext = CommunityBot.Dialogs.Conversation.TurnContext;

namespace CommunityBot.Tests.Conversation;

/// <summary>
/// The turn as Bot Builder middleware on our adapter (<see cref="TurnPipeline"/>): what an SDK middleware sees, how sends
/// are captured into the outbox, SDK state committed with the turn, and the error handler's reach.
/// </summary>
public sealed class TurnMiddlewareTests : IDisposable
{
    private readonly LiteDatabase _database = new(new MemoryStream());
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly LiteDbWriter _writer;
    private readonly BotStateDialogStore _states;
    private readonly LiteDbStorage _storage;
    private readonly Outbox _outbox;
    private readonly TestChannel _channel = new();
    private readonly OutboxDispatcher _dispatcher;

    public TurnMiddlewareTests()
    {
        _writer = new LiteDbWriter(_database, NullLogger<LiteDbWriter>.Instance);
        _storage = new LiteDbStorage(_database, _writer, _time);
        _states = new BotStateDialogStore(_storage);
        var options = MsOptions.Create(new OutboxOptions());
        _outbox = new Outbox(_database, _writer, _time, options);
        _dispatcher = new OutboxDispatcher(_outbox, [_channel], options, _time, NullLogger<OutboxDispatcher>.Instance);
    }

    public void Dispose()
    {
        _writer.Dispose();
        _database.Dispose();
    }

    [Fact]
    public async Task Turn_SdkMiddleware_SeesTheMessageAsAnActivity()
    {
        var pipeline = CreatePipeline(new ReplyBot("好的"));
        var seen = new SeeingMiddleware();
        pipeline.Use(seen);

        await pipeline.ProcessAsync(Message("m1", "物业电话多少"), CancellationToken.None);

        var activity = Assert.Single(seen.Activities);
        Assert.Equal(ActivityTypes.Message, activity.Type);
        Assert.Equal("m1", activity.Id);
        Assert.Equal(TestChannel.Name, activity.ChannelId);
        Assert.Equal("g", activity.Conversation.Id);
        Assert.True(activity.Conversation.IsGroup);
        Assert.Equal("alice", activity.From.Id);
        Assert.Equal("物业电话多少", activity.Text);
    }

    [Fact]
    public async Task Turn_Sends_AreCapturedIntoTheOutboxInOrderWithTheirButtons()
    {
        var pipeline = CreatePipeline(new ReplyBot("一", "二"));
        pipeline.Use(new SendingMiddleware("三"));

        await pipeline.ProcessAsync(Message("m1", "你好"), CancellationToken.None);
        Assert.Equal(3, _outbox.All().Count);
        Assert.Empty(_channel.Sent); // nothing left from inside the turn
        await _dispatcher.DispatchDueAsync(CancellationToken.None);

        var sent = _channel.Sent;
        Assert.Equal(["一", "二", "三"], sent.Select(s => s.Message.Text));
        Assert.Equal("是", Assert.Single(sent[0].Message.Buttons).Value);
        Assert.All(sent, s => Assert.Equal("g", s.To.ConversationId));
    }

    [Fact]
    public async Task Turn_SdkStateSavedInTheTurn_IsCommittedWithIt()
    {
        var state = new PrivateConversationState(_storage);
        var pipeline = CreatePipeline(new ReplyBot("好的"));
        var counter = new CountingMiddleware(state);
        pipeline.Use(counter);

        await pipeline.ProcessAsync(Message("m1", "一"), CancellationToken.None);
        await pipeline.ProcessAsync(Message("m2", "二"), CancellationToken.None);

        Assert.Equal([0, 1], counter.Seen);
        var stored = await _storage.ReadAsync([$"{TestChannel.Name}/conversations/g/users/alice"], CancellationToken.None);
        Assert.Single(stored);
    }

    [Fact]
    public async Task Turn_CancelledBeforeItCommits_LeavesSdkStateAndOutboxUntouched()
    {
        var state = new PrivateConversationState(_storage);
        using var dying = new CancellationTokenSource();
        var pipeline = CreatePipeline(new DyingBot(dying));
        pipeline.Use(new CountingMiddleware(state));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pipeline.ProcessAsync(Message("m1", "一"), dying.Token));

        Assert.Empty(await _storage.ReadAsync([$"{TestChannel.Name}/conversations/g/users/alice"], CancellationToken.None));
        Assert.Empty(_outbox.All());
    }

    [Fact]
    public async Task Turn_BotThrows_SdkStateOfTheTurnIsDroppedAndOnlyTheApologyIsQueued()
    {
        var state = new PrivateConversationState(_storage);
        var pipeline = CreatePipeline(new ThrowingBot());
        pipeline.Use(new CountingMiddleware(state));

        var outcome = await pipeline.ProcessAsync(Message("m1", "一"), CancellationToken.None);

        Assert.Equal(TurnOutcome.Failed, outcome);
        await _dispatcher.DispatchDueAsync(CancellationToken.None);
        Assert.Equal(TurnErrorHandler.Apology, Assert.Single(_channel.Sent).Message.Text);
        Assert.Empty(await _storage.ReadAsync([$"{TestChannel.Name}/conversations/g/users/alice"], CancellationToken.None));
    }

    [Fact]
    public async Task ErrorHandler_TurnThatIsNoResidentsTurn_ThrowsTheErrorOn()
    {
        var handler = new TurnErrorHandler(_states, NullLogger<TurnErrorHandler>.Instance);
        var adapter = new Microsoft.Bot.Builder.Adapters.TestAdapter();
        var context = new Microsoft.Bot.Builder.TurnContext(adapter, new Activity(ActivityTypes.Event) { Name = "ContinueConversation" });

        await Assert.ThrowsAsync<TimeoutException>(() => handler.OnTurnErrorAsync(context, new TimeoutException("connector")));
    }

    [Fact]
    public async Task Pipeline_SendOutsideTheCommitMiddleware_IsRefused()
    {
        var pipeline = CreatePipeline(new ReplyBot());
        var context = new Microsoft.Bot.Builder.TurnContext(pipeline, new Activity(ActivityTypes.Message));

        await Assert.ThrowsAsync<InvalidOperationException>(() => context.SendActivityAsync("直接发送"));
    }

    [Fact]
    public void OutboundActivity_RoundTrip_KeepsTheMessageAndReadsPlainActivities()
    {
        var message = OutboundMessage.WithButtons("您是想问：", [new CardAction("物业电话", "faq:1")]);

        var activity = OutboundActivity.ToActivity(message);
        var plain = OutboundActivity.ToMessage((Activity)MessageFactory.SuggestedActions(new[] { "好" }, "选一个", ssml: null, inputHint: null));

        Assert.Same(message, OutboundActivity.ToMessage(activity));
        Assert.Equal("faq:1", Assert.Single(activity.SuggestedActions.Actions).Value);
        Assert.Equal("选一个", plain!.Text);
        Assert.Equal("好", Assert.Single(plain.Buttons).Value);
        Assert.Null(OutboundActivity.ToMessage(new Activity(ActivityTypes.Typing)));
    }

    private TurnPipeline CreatePipeline(IBot bot) => new(
        bot, _states, _storage, new ProcessedMessageLog(_database, _writer), _outbox, new GroupRegistry(_database, _writer), _writer, _time,
        MsOptions.Create(new TurnOptions()));

    private InboundMessage Message(string id, string text) => new()
    {
        Id = id,
        Conversation = new ConversationReference { Channel = TestChannel.Name, ConversationId = "g", IsGroup = true, UserId = "alice" },
        Text = text,
        AddressedToBot = true,
        Timestamp = _time.GetUtcNow(),
    };

    private sealed class ReplyBot(params string[] replies) : IBot
    {
        public Task OnTurnAsync(TurnContext turn, CancellationToken cancellationToken)
        {
            for (var i = 0; i < replies.Length; i++)
            {
                turn.Reply(i == 0 ? OutboundMessage.WithButtons(replies[i], [new CardAction("是", "是")]) : OutboundMessage.Plain(replies[i]));
            }

            return Task.CompletedTask;
        }
    }

    private sealed class ThrowingBot : IBot
    {
        public Task OnTurnAsync(TurnContext turn, CancellationToken cancellationToken) => throw new InvalidOperationException("boom");
    }

    private sealed class DyingBot(CancellationTokenSource dying) : IBot
    {
        public async Task OnTurnAsync(TurnContext turn, CancellationToken cancellationToken)
        {
            turn.Reply("never sent");
            await dying.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private sealed class SeeingMiddleware : IMiddleware
    {
        public List<Activity> Activities { get; } = [];

        public Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken)
        {
            Activities.Add(turnContext.Activity);
            return next(cancellationToken);
        }
    }

    /// <summary>Sends one more message after the bot, the SDK way.</summary>
    private sealed class SendingMiddleware(string text) : IMiddleware
    {
        public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken)
        {
            await next(cancellationToken);
            await turnContext.SendActivityAsync(text, cancellationToken: cancellationToken);
        }
    }

    /// <summary>Counts the resident's turns in PrivateConversationState: loads, increments, saves (before the bot runs).</summary>
    private sealed class CountingMiddleware(BotState state) : IMiddleware
    {
        private readonly IStatePropertyAccessor<int> _count = state.CreateProperty<int>("count");

        public List<int> Seen { get; } = [];

        public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken)
        {
            await state.LoadAsync(turnContext, cancellationToken: cancellationToken);
            var count = await _count.GetAsync(turnContext, () => 0, cancellationToken);
            Seen.Add(count);
            await _count.SetAsync(turnContext, count + 1, cancellationToken);
            await state.SaveChangesAsync(turnContext, cancellationToken: cancellationToken);
            await next(cancellationToken);
        }
    }
}
