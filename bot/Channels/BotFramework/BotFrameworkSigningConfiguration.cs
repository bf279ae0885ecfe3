using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace CommunityBot.Channels.BotFramework;

/// <summary>
/// The Bot Connector's OpenID metadata with its signing keys, and each key's endorsements (the channel ids
/// that key may sign for), fetched and cached together so they always describe the same key set.
/// </summary>
public sealed class BotFrameworkSigningConfiguration(
    OpenIdConnectConfiguration metadata, IReadOnlyDictionary<string, IReadOnlyList<string>> endorsements)
{
    public OpenIdConnectConfiguration Metadata { get; } = metadata;

    /// <summary>Key id → endorsed channel ids, from the <c>endorsements</c> array next to each key in the JWKS document.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Endorsements { get; } = endorsements;
}
