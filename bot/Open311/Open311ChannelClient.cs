using CommunityBot.Channels;
using CommunityBot.Dialogs.Conversation;

namespace CommunityBot.Open311;

/// <summary>
/// The outbox's client for reporters who came through the API. Open311 has no push: the client polls GET requests,
/// where replies and the closing note appear as status_notes, so messages to these reporters are accepted and dropped.
/// </summary>
public sealed partial class Open311ChannelClient(ILogger<Open311ChannelClient> logger) : IChannelClient
{
    public bool Handles(string channel) => channel == ServiceRequestForm.Channel;

    public Task SendAsync(ConversationReference to, OutboundMessage message, CancellationToken cancellationToken)
    {
        LogDropped(to.ConversationId, message.Text);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Open311 reporter in {Jurisdiction} is not pushed to (they poll): {Text}")]
    private partial void LogDropped(string jurisdiction, string text);
}
