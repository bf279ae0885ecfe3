namespace CommunityBot.Channels;

/// <summary>
/// A channel client refused to deliver to this address and always will (no client for its channel, an address it
/// cannot use, a request the channel refuses for good such as a Connector 400/401/403/404/413): a retry cannot
/// succeed, so the outbox fails the entry at once and it never holds up anything else.
/// The message says why, never what was being sent.
/// </summary>
public class ChannelDeliveryRejectedException(string message, Exception? innerException = null) : Exception(message, innerException);
