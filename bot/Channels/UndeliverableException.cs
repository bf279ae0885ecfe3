namespace CommunityBot.Channels;

/// <summary>
/// The message can never be delivered as addressed (no client for its channel, an address no endpoint accepts, a
/// request the channel refuses for good, such as a Connector 400/401/403/404/413). The outbox fails it at once,
/// without retrying, so it never holds up anything else.
/// </summary>
/// <remarks>The message names the reason, never the text that was being sent.</remarks>
public class UndeliverableException(string message, Exception? innerException = null) : Exception(message, innerException);
