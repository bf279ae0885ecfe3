namespace CommunityBot.Dialogs.Conversation;

/// <summary>Sends a message to a conversation outside the current turn (proactive); implemented by the bot's outbox.</summary>
public interface ITurnSender
{
    Task SendAsync(ConversationReference to, OutboundMessage message, CancellationToken cancellationToken);
}
