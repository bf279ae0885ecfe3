using System.Text.Json.Serialization;

namespace CommunityBot.Channels.WeCom;

/// <summary>The encrypted passive-reply envelope of the 智能机器人 JSON callback (protocols B.1.3).</summary>
public sealed record WeComEncryptedReply(
    [property: JsonPropertyName("encrypt")] string Encrypt,
    [property: JsonPropertyName("msgsignature")] string MsgSignature,
    [property: JsonPropertyName("timestamp")] long Timestamp,
    [property: JsonPropertyName("nonce")] string Nonce);
