using System.Collections.Concurrent;
using Microsoft.Bot.Builder;
using IMiddleware = Microsoft.Bot.Builder.IMiddleware;

namespace CommunityBot.Conversation;

/// <summary>
/// The first middleware of a resident's turn: a message id being processed right now in this process ends the turn as
/// <see cref="TurnOutcome.Duplicate"/> before anything runs. Channels re-deliver (Bot Framework retries, WeCom re-sends
/// callbacks it considers unanswered). An id already processed (here or on another instance) is found by the turn's
/// <see cref="ITurnStore"/> in <see cref="TurnCommitMiddleware"/>, which commits the id with the turn's state and replies.
/// Also counts every resident turn's outcome.
/// </summary>
public sealed partial class DedupeMiddleware(ILogger<DedupeMiddleware> logger, Metrics.BotMetrics? metrics = null) : IMiddleware
{
    private readonly ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.Ordinal);

    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken)
    {
        if (ResidentTurn.Of(turnContext) is not { } turn)
        {
            await next(cancellationToken).ConfigureAwait(false);
            return;
        }

        var message = turn.Message;
        var key = ProcessedMessageLog.KeyOf(message.Channel, message.Id);
        // Claim the id first; the turn's store looks in the log under the claim: a turn commits its id before it releases
        // the claim, so a redelivery either finds the claim or finds the committed id (checked the other way round, a
        // redelivery could read the log just before the first turn committed and claim the id just after it was released).
        if (!_inFlight.TryAdd(key, 0))
        {
            Duplicate(turn);
            return;
        }

        try
        {
            await next(cancellationToken).ConfigureAwait(false);
            if (turn.Outcome == TurnOutcome.Duplicate)
            {
                LogDuplicate(message.Channel, message.Id);
            }

            if (!turn.Proactive)
            {
                // The figures count what residents sent; the bot's own turns are not received messages.
                metrics?.Turn(message.Channel, turn.Outcome);
            }
        }
        finally
        {
            _inFlight.TryRemove(key, out _);
        }
    }

    private void Duplicate(ResidentTurn turn)
    {
        turn.Outcome = TurnOutcome.Duplicate;
        LogDuplicate(turn.Message.Channel, turn.Message.Id);
        if (!turn.Proactive)
        {
            metrics?.Turn(turn.Message.Channel, TurnOutcome.Duplicate);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Duplicate delivery of {Channel} message {MessageId} ignored")]
    private partial void LogDuplicate(string channel, string messageId);
}
