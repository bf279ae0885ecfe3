using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Tickets;
using Microsoft.Bot.Builder;
using IMiddleware = Microsoft.Bot.Builder.IMiddleware;

namespace CommunityBot.Conversation;

/// <summary>
/// 接管: while a worker has taken over a resident's thread, that resident's messages go to the worker
/// (<see cref="ITicketDesk.RelayFromResidentAsync"/>) and the bot stays silent for them; everyone else's turn goes on.
/// </summary>
/// <remarks>
/// The worker's side (<see cref="ITicketDesk.RelayFromWorkerAsync"/>) stays in the router, after the worker's own active
/// dialog: a worker who is writing a closing note (办结) while in a take-over must have the note taken by the dialog, not
/// relayed to the resident, and only the dialogs know whether one is active.
/// </remarks>
public sealed class TakeOverRelayMiddleware(ITicketDesk desk) : IMiddleware
{
    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken)
    {
        if (ResidentTurn.Of(turnContext) is { Message.Kind: InboundKind.Message } turn
            && await desk.RelayFromResidentAsync(turn.Message, turn.Now, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        await next(cancellationToken).ConfigureAwait(false);
    }
}
