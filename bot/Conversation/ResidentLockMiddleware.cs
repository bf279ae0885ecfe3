using Microsoft.Bot.Builder;
using IMiddleware = Microsoft.Bot.Builder.IMiddleware;

namespace CommunityBot.Conversation;

/// <summary>
/// Runs the rest of a resident's turn under that resident's lock (<c>{channel}/{conversation}/{user}</c>), commit included,
/// so their next message finds this turn's dialog state; different residents, even in one group, run side by side.
/// </summary>
public sealed class ResidentLockMiddleware : IMiddleware
{
    private readonly KeyedLock _locks = new();

    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken)
    {
        if (ResidentTurn.Of(turnContext) is not { } turn)
        {
            await next(cancellationToken).ConfigureAwait(false);
            return;
        }

        using (await _locks.AcquireAsync(turn.Message.StateKey, cancellationToken).ConfigureAwait(false))
        {
            await next(cancellationToken).ConfigureAwait(false);
        }
    }
}
