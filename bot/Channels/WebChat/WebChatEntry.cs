using CommunityBot.Dialogs.Conversation;

namespace CommunityBot.Channels.WebChat;

/// <summary>One message of a local conversation as the page shows it: a resident's post or a delivered bot message.</summary>
public sealed record WebChatEntry
{
    /// <summary>Position in the conversation, from 1; assigned by <see cref="WebChatMailbox.Append"/>.</summary>
    public long Seq { get; init; }
    public WebChatSender From { get; init; }
    public string UserId { get; init; } = "";
    public string UserName { get; init; } = "";
    public string Text { get; init; } = "";
    public string? Title { get; init; }
    public IReadOnlyList<CardAction> Buttons { get; init; } = [];
    /// <summary>Pictures shown under the text; only http(s) addresses are ever kept (see <see cref="OutboundAttachment.IsWebUrl"/>).</summary>
    public IReadOnlyList<OutboundAttachment> Attachments { get; init; } = [];
    /// <summary>When the mailbox took the message; assigned by <see cref="WebChatMailbox.Append"/>.</summary>
    public DateTimeOffset At { get; init; }
    /// <summary>The only user allowed to read this message (private chats); null means every participant.</summary>
    public string? Addressee { get; init; }
    /// <summary>The inbound message id of a user post, so that a retried post is kept once.</summary>
    public string? MessageId { get; init; }

    public bool IsVisibleTo(string? userId) => Addressee is null || string.Equals(Addressee, userId, StringComparison.Ordinal);
}
