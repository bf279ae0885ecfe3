using Microsoft.Bot.Builder;
using IMiddleware = Microsoft.Bot.Builder.IMiddleware;

namespace CommunityBot.Conversation;

/// <summary>
/// The middleware every channel's adapter runs, in order, and its error handler: dedupe by message id
/// (<see cref="DedupeMiddleware"/>), the resident's lock (<see cref="ResidentLockMiddleware"/>), the turn's one commit
/// (<see cref="TurnCommitMiddleware"/>, which captures the sends and runs <c>OnTurnError</c>), the size limit
/// (<see cref="SizeLimitMiddleware"/>), the take-over relay (<see cref="TakeOverRelayMiddleware"/>); then the bot. One instance per process, shared by the adapters, so a message id
/// or a resident is one claim or one lock whichever adapter took it. Channel tests that need none of it use <see cref="None"/>.
/// </summary>
public sealed class TurnMiddleware(IReadOnlyList<IMiddleware> steps, TurnErrorHandler? errors)
{
    public TurnMiddleware(
        DedupeMiddleware dedupe,
        ResidentLockMiddleware residentLock,
        TurnCommitMiddleware commit,
        SizeLimitMiddleware sizeLimit,
        TakeOverRelayMiddleware? relay,
        TurnErrorHandler errors)
        : this(relay is null ? [dedupe, residentLock, commit, sizeLimit] : [dedupe, residentLock, commit, sizeLimit, relay], errors)
    {
    }

    /// <summary>No middleware and no error handler: an endpoint test's bot sees the turn as the channel admitted it.</summary>
    public static TurnMiddleware None { get; } = new([], null);

    /// <summary>Registers the middleware on <paramref name="adapter"/> after any it already has, and its OnTurnError.</summary>
    public TAdapter UseIn<TAdapter>(TAdapter adapter)
        where TAdapter : BotAdapter
    {
        foreach (var step in steps)
        {
            adapter.Use(step);
        }

        if (errors is not null)
        {
            adapter.OnTurnError = errors.OnTurnErrorAsync;
        }

        return adapter;
    }
}
