using System.Net;

namespace CommunityBot.Channels.BotFramework;

/// <summary>
/// The Bot Connector refused a call for good (a status Teams says not to retry: 400, 401, 403, 404, 413, 500, …),
/// so the outbox fails the message at once.
/// The message names the status and the Connector's error code, never the text that was being sent.
/// </summary>
public sealed class ConnectorException(HttpStatusCode statusCode, string? errorCode, string message) : ChannelDeliveryRejectedException(message)
{
    public HttpStatusCode StatusCode { get; } = statusCode;

    /// <summary>The Connector's <c>error.code</c>, e.g. <c>ConversationBlockedByUser</c>, when its body had one.</summary>
    public string? ErrorCode { get; } = errorCode;
}
