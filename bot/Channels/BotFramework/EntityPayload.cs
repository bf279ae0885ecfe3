namespace CommunityBot.Channels.BotFramework;

/// <summary>Activity metadata; this bot only reads <c>mention</c> entities and ignores the rest (A2104).</summary>
public sealed class EntityPayload
{
    public string? Type { get; set; }
    /// <summary>The account a <c>mention</c> entity refers to.</summary>
    public ChannelAccountPayload? Mentioned { get; set; }
    /// <summary>The part of the message text that is the mention, e.g. <c>&lt;at&gt;小灵通&lt;/at&gt;</c>.</summary>
    public string? Text { get; set; }
}
