namespace CommunityBot.Channels;

/// <summary>
/// A channel client refused to deliver to this address and always will (a service host that is not allowed, an
/// address it cannot use): nothing was sent, and a retry cannot succeed, so the outbox should fail the entry at once.
/// The message says why, never what was being sent.
/// </summary>
public sealed class ChannelDeliveryRejectedException(string message) : Exception(message);
