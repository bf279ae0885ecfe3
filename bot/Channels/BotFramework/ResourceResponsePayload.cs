namespace CommunityBot.Channels.BotFramework;

/// <summary>What the Connector answers to a send or create call: the id of the new activity or conversation.</summary>
public sealed class ResourceResponsePayload
{
    public string? Id { get; set; }
    public string? ActivityId { get; set; }
    public string? ServiceUrl { get; set; }
}
