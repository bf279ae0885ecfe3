using CommunityBot.Dialogs.Conversation;

namespace CommunityBot.Channels;

/// <summary>Delivers an outbound message to one channel; the outbox dispatcher picks the client by channel name.</summary>
public interface IChannelClient
{
    /// <summary>True when this client delivers to conversations of that channel id (e.g. "msteams", "emulator").</summary>
    bool Handles(string channel);

    Task SendAsync(ConversationReference to, OutboundMessage message, CancellationToken cancellationToken);
}
