using Microsoft.Bot.Builder;
using IMiddleware = Microsoft.Bot.Builder.IMiddleware;
using Microsoft.Bot.Schema;

namespace CommunityBot.Conversation;

/// <summary>
/// Makes a resident's turn one commit. It begins the turn in the provider's <see cref="ITurnStore"/> (on PostgreSQL: the
/// resident's lock across instances) and ends a message already processed as <see cref="TurnOutcome.Duplicate"/> there,
/// captures the turn's sends (an <c>OnSendActivities</c> handler that does not call on, so nothing leaves from inside the
/// turn), holds the turn's state writes (<see cref="ITurnStorage"/>, where the SDK's <c>BotState</c> writes, the resident's
/// dialog included: <see cref="BotStateDialogStore"/>), runs the adapter's <c>OnTurnError</c> if the turn throws, saves the
/// resident's state, and then commits the message id, the state and the replies (as outbox entries) together, before the
/// channel is answered; the outbox dispatcher delivers them after it, in order per conversation. A crash before the commit
/// leaves all of it undone, so the channel's redelivery runs the same turn again. A proactive turn that throws is not
/// handled here: nothing of it is written and the exception goes to its runner, which runs it again later.
/// </summary>
public sealed class TurnCommitMiddleware(BotStateDialogStore dialogs, ITurnStorage storage, ITurnStore turns, TimeProvider time) : IMiddleware
{
    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken)
    {
        if (ResidentTurn.Of(turnContext) is not { } turn)
        {
            await next(cancellationToken).ConfigureAwait(false);
            return;
        }

        var inbound = turn.Message;
        await using var transaction = await turns.BeginAsync(inbound.StateKey, ProcessedMessageLog.KeyOf(inbound.Channel, inbound.Id), cancellationToken)
            .ConfigureAwait(false);
        if (transaction.AlreadyProcessed)
        {
            turn.Outcome = TurnOutcome.Duplicate;
            return;
        }

        turn.Now = time.GetUtcNow();
        var storageWrites = storage.BeginTurn();
        dialogs.BeginTurn(turnContext, inbound.StateKey);
        turnContext.OnSendActivities((_, activities, _) => Task.FromResult(Capture(turn, activities)));
        try
        {
            await next(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!turn.Proactive && !cancellationToken.IsCancellationRequested && turnContext.Adapter.OnTurnError is { } onTurnError)
        {
            turn.Outcome = TurnOutcome.Failed;
            turn.ClearReplies();
            storageWrites.Clear();
            turn.HandlingError = true;
            try
            {
                await onTurnError(turnContext, ex).ConfigureAwait(false);
            }
            finally
            {
                turn.HandlingError = false;
            }
        }

        // Outside the catch: a stale ETag here fails the commit (the channel re-delivers), it is no failed turn to apologise for.
        await dialogs.SaveTurnAsync(turnContext, cancellationToken).ConfigureAwait(false);
        var record = new TurnRecord(inbound, turn.Now, storageWrites, [.. turn.Replies], turn.AlsoCommit);
        if (!await transaction.CommitAsync(record, cancellationToken).ConfigureAwait(false))
        {
            turn.Outcome = TurnOutcome.Duplicate; // another delivery of the message committed first: this one kept nothing
        }
    }

    private static ResourceResponse[] Capture(ResidentTurn turn, List<Activity> activities)
    {
        var responses = new ResourceResponse[activities.Count];
        for (var i = 0; i < activities.Count; i++)
        {
            if (OutboundActivity.ToMessage(activities[i]) is { } reply)
            {
                turn.Capture(reply);
            }

            responses[i] = new ResourceResponse();
        }

        return responses;
    }
}
