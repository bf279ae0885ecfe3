namespace CommunityBot.Dialogs.Conversation;

/// <summary>
/// Everything a channel client needs to reach a conversation again (Bot Framework's
/// ConversationReference): the channel, the conversation, the bot, the user and the channel's own
/// addressing details such as the Connector service URL or WeCom's response_url.
/// </summary>
public sealed record ConversationReference
{
    public required string Channel { get; init; }
    public required string ConversationId { get; init; }
    public bool IsGroup { get; init; }
    public string UserId { get; init; } = "";
    public string UserName { get; init; } = "";
    public string BotId { get; init; } = "";
    public string BotName { get; init; } = "";
    /// <summary>The channel's base URL for replies (Bot Framework serviceUrl).</summary>
    public string? ServiceUrl { get; init; }
    /// <summary>The inbound message id a reply threads under, when the channel supports it.</summary>
    public string? ReplyToId { get; init; }
    public string? TenantId { get; init; }
    /// <summary>Channel-specific extras (WeCom response_url, chat type …); opaque to dialogs.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    /// <summary>This user's thread inside this conversation: <c>{channel}/{conversation}/{user}</c> (dialog state, take-overs).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string StateKey => $"{Channel}/{ConversationId}/{UserId}";
}
