using CommunityBot.Broadcasts;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Notifications;
using CommunityBot.Storage;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using IBot = CommunityBot.Dialogs.Conversation.IBot;

namespace CommunityBot.Conversation;

/// <summary>
/// The <see cref="BotAdapter"/> of the channels that are ours (WeCom, the local chat; the conversation tests too): it
/// turns an inbound message into an <see cref="Activity"/> and runs it through the same middleware (<see cref="TurnMiddleware"/>)
/// and the same bot (<see cref="ConversationBot"/>) as the Bot Framework's <c>CloudAdapter</c>. Nothing is sent from the
/// turn: its replies go into the outbox in the turn's commit and the channel clients deliver them after it, so
/// <see cref="SendActivitiesAsync"/> is never reached and says so if it is.
/// </summary>
public sealed class TurnPipeline : BotAdapter, ITurnProcessor
{
    private readonly ConversationBot _bot;

    public TurnPipeline(ConversationBot bot, TurnMiddleware middleware)
    {
        _bot = bot;
        middleware.UseIn(this);
    }

    /// <summary>A pipeline with its own middleware over the given stores (tests and tools).</summary>
    public TurnPipeline(
        IBot bot,
        BotStateDialogStore stateStore,
        LiteDbStorage storage,
        ProcessedMessageLog processed,
        Outbox outbox,
        GroupRegistry groups,
        LiteDbWriter writer,
        TimeProvider time,
        IOptions<TurnOptions> options,
        ILoggerFactory? loggers = null,
        Metrics.BotMetrics? metrics = null,
        Dialogs.Tickets.ITicketDesk? desk = null)
        : this(
            new ConversationBot(bot, (loggers ?? NullLoggerFactory.Instance).CreateLogger<ConversationBot>()),
            new TurnMiddleware(
                new DedupeMiddleware((loggers ?? NullLoggerFactory.Instance).CreateLogger<DedupeMiddleware>(), metrics),
                new ResidentLockMiddleware(),
                new TurnCommitMiddleware(stateStore, storage, new LiteDbTurnStore(processed, storage, outbox, groups, writer), time),
                new SizeLimitMiddleware(options),
                desk is null ? null : new TakeOverRelayMiddleware(desk),
                new TurnErrorHandler(stateStore, (loggers ?? NullLoggerFactory.Instance).CreateLogger<TurnErrorHandler>())))
    {
    }

    public Task<TurnOutcome> ProcessAsync(InboundMessage message, CancellationToken cancellationToken) =>
        RunAsync(new ResidentTurn(message), cancellationToken);

    /// <summary>
    /// Runs a turn the bot owes the resident (an <see cref="InboundKind.Event"/> message) through the same middleware and
    /// bot, whatever the resident's channel (a Teams resident's replies go into the outbox like every turn's);
    /// <paramref name="alsoCommit"/> runs in the turn's commit. A failure is thrown, and nothing of the turn is kept.
    /// </summary>
    public Task<TurnOutcome> RunProactiveAsync(InboundMessage message, ITurnAlsoCommit alsoCommit, CancellationToken cancellationToken) =>
        RunAsync(new ResidentTurn(message) { Proactive = true, AlsoCommit = alsoCommit }, cancellationToken);

    private async Task<TurnOutcome> RunAsync(ResidentTurn turn, CancellationToken cancellationToken)
    {
        var message = turn.Message;
        using var context = new Microsoft.Bot.Builder.TurnContext(this, InboundActivity.From(message));
        turn.AttachTo(context);
        await RunPipelineAsync(context, _bot.OnTurnAsync, cancellationToken).ConfigureAwait(false);
        return turn.Outcome;
    }

    public override Task<ResourceResponse[]> SendActivitiesAsync(ITurnContext turnContext, Activity[] activities, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("A turn's replies go into the outbox (TurnCommitMiddleware); nothing is sent from inside a turn.");

    public override Task<ResourceResponse> UpdateActivityAsync(ITurnContext turnContext, Activity activity, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The channels behind this adapter cannot update a sent message.");

    public override Task DeleteActivityAsync(ITurnContext turnContext, Microsoft.Bot.Schema.ConversationReference reference, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The channels behind this adapter cannot delete a sent message.");
}
