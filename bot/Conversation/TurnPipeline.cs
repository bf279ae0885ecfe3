using CommunityBot.Dialogs.Conversation;

namespace CommunityBot.Conversation;

/// <summary>Runs one inbound message through dedupe, the bot and the outbox. (Skeleton: filled in by the pipeline work.)</summary>
public sealed class TurnPipeline
{
    public Task<TurnOutcome> ProcessAsync(InboundMessage message, CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}
