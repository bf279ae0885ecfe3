namespace CommunityBot.Channels.WeCom;

/// <summary>The callback crypto when the channel is configured, or null when it is not (the endpoints then answer 503).</summary>
public sealed record WeComCallbackKeys(WeComCrypto? Crypto);
