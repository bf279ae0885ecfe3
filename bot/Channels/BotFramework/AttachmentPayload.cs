using System.Text.Json;

namespace CommunityBot.Channels.BotFramework;

/// <summary>A file, image or card attached to an activity.</summary>
public sealed class AttachmentPayload
{
    public string? ContentType { get; set; }
    public string? ContentUrl { get; set; }
    public string? Name { get; set; }
    public string? ThumbnailUrl { get; set; }
    /// <summary>Inline content: a card body, or Teams' file download info.</summary>
    public JsonElement? Content { get; set; }
}
