using System.Collections.Concurrent;
using Microsoft.Bot.Builder;
using IMiddleware = Microsoft.Bot.Builder.IMiddleware;

namespace CommunityBot.Conversation;

/// <summary>
/// The first middleware of a resident's turn: a message id already processed (in <see cref="ProcessedMessageLog"/>) or
/// being processed right now ends the turn as <see cref="TurnOutcome.Duplicate"/> before anything runs. Channels re-deliver
/// (Bot Framework retries, WeCom re-sends callbacks it considers unanswered). The id itself is committed with the turn's
/// state and replies by <see cref="TurnCommitMiddleware"/>. Also counts every resident turn's outcome.
/// </summary>
public sealed partial class DedupeMiddleware(ProcessedMessageLog processed, ILogger<DedupeMiddleware> logger, Metrics.BotMetrics? metrics = null) : IMiddleware
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
        // Claim the id first, then look in the log: a turn commits its id before it releases the claim, so a
        // redelivery either finds the claim or finds the committed id (checked the other way round, a redelivery
        // could read the log just before the first turn committed and claim the id just after it was released).
        if (!_inFlight.TryAdd(key, 0))
        {
            Duplicate(turn);
            return;
        }

        try
        {
            if (processed.Contains(key))
            {
                Duplicate(turn);
                return;
            }

            await next(cancellationToken).ConfigureAwait(false);
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
