namespace CommunityBot.Channels.WebChat;

/// <summary>The JSON body the page posts to <c>POST /api/local/messages</c>.</summary>
public sealed record WebChatMessageRequest
{
    public string? ConversationId { get; init; }
    public string? UserId { get; init; }
    public string? UserName { get; init; }
    public bool IsGroup { get; init; }
    public string? Text { get; init; }
    /// <summary>Set when the resident pressed a bot button; <see cref="Text"/> then carries the button's title.</summary>
    public string? ButtonValue { get; init; }
    /// <summary>An http(s) address of a picture sent with the message (the page's 「图片」 button), as a photo is sent on a real channel.</summary>
    public string? ImageUrl { get; init; }
    /// <summary>The page's own id for this message, so a retried post is recognised as the same message.</summary>
    public string? MessageId { get; init; }
}
