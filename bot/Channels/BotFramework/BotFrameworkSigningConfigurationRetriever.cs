using System.Text.Json;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace CommunityBot.Channels.BotFramework;

/// <summary>
/// Reads the OpenID metadata document, then its JWKS document, keeping the raw <c>endorsements</c> of every
/// key, which the standard retriever drops (protocols A.3.1, step 3).
/// </summary>
public sealed class BotFrameworkSigningConfigurationRetriever : IConfigurationRetriever<BotFrameworkSigningConfiguration>
{
    public async Task<BotFrameworkSigningConfiguration> GetConfigurationAsync(
        string address, IDocumentRetriever retriever, CancellationToken cancel)
    {
        var metadata = OpenIdConnectConfiguration.Create(await retriever.GetDocumentAsync(address, cancel).ConfigureAwait(false));
        if (string.IsNullOrEmpty(metadata.JwksUri))
        {
            throw new InvalidOperationException($"The OpenID metadata at {address} names no jwks_uri.");
        }

        var jwks = await retriever.GetDocumentAsync(metadata.JwksUri, cancel).ConfigureAwait(false);
        metadata.JsonWebKeySet = JsonWebKeySet.Create(jwks);
        foreach (var key in metadata.JsonWebKeySet.GetSigningKeys())
        {
            metadata.SigningKeys.Add(key);
        }

        return new BotFrameworkSigningConfiguration(metadata, ReadEndorsements(jwks));
    }

    private static Dictionary<string, IReadOnlyList<string>> ReadEndorsements(string jwks)
    {
        var endorsements = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(jwks);
        if (!document.RootElement.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
        {
            return endorsements;
        }

        foreach (var key in keys.EnumerateArray())
        {
            if (key.ValueKind == JsonValueKind.Object
                && key.TryGetProperty("kid", out var kid) && kid.ValueKind == JsonValueKind.String
                && key.TryGetProperty("endorsements", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                endorsements[kid.GetString()!] = list.EnumerateArray()
                    .Where(e => e.ValueKind == JsonValueKind.String)
                    .Select(e => e.GetString()!)
                    .ToList();
            }
        }

        return endorsements;
    }
}
