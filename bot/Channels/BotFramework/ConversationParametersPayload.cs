using System.Text.Json;

namespace CommunityBot.Channels.BotFramework;

/// <summary>Body of <c>POST /v3/conversations</c>: who starts a conversation with whom (proactive 1:1 in Teams).</summary>
public sealed class ConversationParametersPayload
{
    public bool? IsGroup { get; set; }
    public ChannelAccountPayload? Bot { get; set; }
    public List<ChannelAccountPayload>? Members { get; set; }
    public string? TenantId { get; set; }
    public JsonElement? ChannelData { get; set; }
}
