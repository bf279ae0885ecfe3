using CommunityBot.Dialogs.Conversation;
using Microsoft.Extensions.Options;

namespace CommunityBot.Channels.WebChat;

/// <summary>
/// Delivers bot messages to the local chat page by putting them in the <see cref="WebChatMailbox"/>,
/// where the page's long poll picks them up.
/// </summary>
public sealed partial class WebChatClient(WebChatMailbox mailbox, IOptions<WebChatOptions> options, ILogger<WebChatClient> logger) : IChannelClient
{
    public bool Handles(string channel) => string.Equals(channel, WebChatMapper.ChannelId, StringComparison.Ordinal);

    public Task SendAsync(ConversationReference to, OutboundMessage message, CancellationToken cancellationToken)
    {
        var entry = mailbox.Append(to.ConversationId, new WebChatEntry
        {
            From = WebChatSender.Bot,
            UserId = string.IsNullOrEmpty(to.BotId) ? WebChatMapper.BotId : to.BotId,
            UserName = string.IsNullOrEmpty(to.BotName) ? options.Value.BotName : to.BotName,
            Text = message.Text,
            Title = message.Title,
            Buttons = message.Buttons,
            Attachments = message.Attachments.Where(a => OutboundAttachment.IsWebUrl(a.Url)).ToList(),
            // In a group every participant reads the bot; a private message is for its addressee only.
            Addressee = to.IsGroup || string.IsNullOrEmpty(to.UserId) ? null : to.UserId,
        });
        LogDelivered(to.ConversationId, entry.Seq);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Web chat message {Seq} delivered to {ConversationId}")]
    private partial void LogDelivered(string conversationId, long seq);
}
