using CommunityBot.Dialogs.Conversation;

namespace CommunityBot.Channels;

/// <summary>Delivers an outbound message to one channel; the outbox dispatcher picks the client by channel name.</summary>
public interface IChannelClient
{
    /// <summary>True when this client delivers to conversations of that channel id (e.g. "msteams", "emulator").</summary>
    bool Handles(string channel);

    Task SendAsync(ConversationReference to, OutboundMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// A channel client that can deliver several consecutive messages to the same address as one (WeCom: a
/// response_url takes a single call, so a turn's replies are joined). The dispatcher uses it when it can.
/// </summary>
public interface IBatchingChannelClient : IChannelClient
{
    Task SendAsync(ConversationReference to, IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken);
}
