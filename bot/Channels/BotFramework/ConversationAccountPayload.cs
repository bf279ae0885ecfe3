namespace CommunityBot.Channels.BotFramework;

/// <summary>The conversation an activity belongs to.</summary>
public sealed class ConversationAccountPayload
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    /// <summary>True when more than two participants can talk (absent in Teams personal chats).</summary>
    public bool? IsGroup { get; set; }
    /// <summary>Teams: <c>personal</c>, <c>groupChat</c> or <c>channel</c>.</summary>
    public string? ConversationType { get; set; }
    public string? TenantId { get; set; }
}
