using CommunityBot.Dialogs.Conversation;

namespace CommunityBot.Conversation;

/// <summary>
/// What a channel endpoint hands an inbound message to: the turn pipeline. A seam so channel endpoints
/// can be tested without the dialogs, the store and the outbox behind it.
/// </summary>
public interface ITurnProcessor
{
    Task<TurnOutcome> ProcessAsync(InboundMessage message, CancellationToken cancellationToken);
}
