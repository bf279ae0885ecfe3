using CommunityBot.Broadcasts;
using CommunityBot.Notifications;
using CommunityBot.Storage;
using Microsoft.Bot.Builder;
using IMiddleware = Microsoft.Bot.Builder.IMiddleware;
using Microsoft.Bot.Schema;

namespace CommunityBot.Conversation;

/// <summary>
/// Makes a resident's turn one commit. It captures the turn's sends (an <c>OnSendActivities</c> handler that does not call
/// on, so nothing leaves from inside the turn), holds the turn's state writes (<see cref="LiteDbStorage"/>, where the SDK's
/// <c>BotState</c> writes, the resident's dialog included: <see cref="BotStateDialogStore"/>), runs the adapter's
/// <c>OnTurnError</c> if the turn throws, saves the resident's state, and then
/// writes the message id, the state and the replies (as outbox entries) in one LiteDB write, before the channel is
/// answered; the outbox dispatcher delivers them after it, in order per conversation. A crash before the write leaves all
/// of it undone, so the channel's redelivery runs the same turn again. A proactive turn that throws is not handled here:
/// nothing of it is written and the exception goes to its runner, which runs it again later.
/// </summary>
public sealed class TurnCommitMiddleware(
    BotStateDialogStore dialogs,
    LiteDbStorage storage,
    ProcessedMessageLog processed,
    Outbox outbox,
    GroupRegistry groups,
    LiteDbWriter writer,
    TimeProvider time) : IMiddleware
{
    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken)
    {
        if (ResidentTurn.Of(turnContext) is not { } turn)
        {
            await next(cancellationToken).ConfigureAwait(false);
            return;
        }

        turn.Now = time.GetUtcNow();
        var storageWrites = storage.BeginTurn();
        dialogs.BeginTurn(turnContext, turn.Message.StateKey);
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
        await CommitAsync(turn, storageWrites).ConfigureAwait(false);
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

    private async Task CommitAsync(ResidentTurn turn, StorageTurn storageWrites)
    {
        var inbound = turn.Message;
        var key = ProcessedMessageLog.KeyOf(inbound.Channel, inbound.Id);
        var entries = turn.Replies.Count == 0 ? null : turn.Replies.Select(r => outbox.Create(inbound.Conversation, r)).ToList();
        var recordGroup = groups.ShouldRecord(inbound, turn.Now);
        var recordResident = groups.ShouldRecordResident(inbound, turn.Now);
        // The message id, the dialog state and the replies are committed together: a crash leaves all or none.
        await writer.WriteAsync(_ =>
        {
            processed.Add(key, turn.Now);
            storage.CommitInWrite(storageWrites);

            if (recordGroup)
            {
                groups.Record(inbound.Conversation, turn.Now);
            }

            if (recordResident)
            {
                // Their private chat takes this group's compound as its default place.
                groups.RecordResident(inbound, turn.Now);
            }

            if (entries is not null)
            {
                outbox.Insert(entries);
            }

            turn.AlsoCommit?.Invoke();
        }).ConfigureAwait(false);

        if (entries is not null)
        {
            outbox.Wake();
        }
    }
}
