using System.Text.Json;
using System.Text.Json.Serialization;

namespace CommunityBot.Channels.BotFramework;

/// <summary>
/// A Bot Framework activity as it travels on the wire (camelCase JSON). Only the fields this bot reads or
/// writes are declared; unknown fields are ignored, as the activity spec requires of receivers (A2005).
/// </summary>
public sealed class ActivityPayload
{
    /// <summary>Serializer settings for activities: camelCase, case-insensitive reads, nulls left out on write.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string? Type { get; set; }
    public string? Id { get; set; }
    public DateTimeOffset? Timestamp { get; set; }
    public string? ServiceUrl { get; set; }
    public string? ChannelId { get; set; }
    public ChannelAccountPayload? From { get; set; }
    public ConversationAccountPayload? Conversation { get; set; }
    public ChannelAccountPayload? Recipient { get; set; }
    public string? TextFormat { get; set; }
    public string? Text { get; set; }
    public string? Locale { get; set; }
    /// <summary>The activity this one replies to (set on our replies so Teams threads them).</summary>
    public string? ReplyToId { get; set; }
    /// <summary>The name of an <c>event</c> or <c>invoke</c> activity.</summary>
    public string? Name { get; set; }
    public List<EntityPayload>? Entities { get; set; }
    public List<AttachmentPayload>? Attachments { get; set; }
    public List<ChannelAccountPayload>? MembersAdded { get; set; }
    public List<ChannelAccountPayload>? MembersRemoved { get; set; }
    /// <summary>Programmatic payload: card submit data, invoke parameters.</summary>
    public JsonElement? Value { get; set; }
    /// <summary>Channel-specific data (Teams: tenant, team, channel, eventType …).</summary>
    public JsonElement? ChannelData { get; set; }
}
