using System.Globalization;
using CommunityBot.Channels;
using Microsoft.Extensions.Options;

namespace CommunityBot.Media;

/// <summary>
/// The signed, expiring links to stored photos: <c>{base}/media/{id}?exp=…&amp;sig=…</c>. The base is
/// <see cref="MediaOptions.PublicBaseUrl"/>; without one, the server's first configured address with a wildcard host
/// read as 127.0.0.1 — enough for the demo chat on this machine, not for a resident on WeCom or Teams.
/// </summary>
public sealed class MediaLinks(MediaStore store, MediaSigner signer, IOptions<MediaOptions> options, IOptions<ServerAddressOptions> server, TimeProvider time)
{
    private readonly string _base = BaseOf(options.Value.PublicBaseUrl, server.Value.Urls);

    /// <summary>The link to a stored photo named by <paramref name="photo"/> (<c>media:{id}</c>), or null while it is not stored.</summary>
    public string? LinkTo(string photo)
    {
        if (MediaRef.IdOf(photo) is not { } id || store.Find(id) is not { Status: MediaStatus.Stored })
        {
            return null;
        }

        var expires = time.GetUtcNow().Add(options.Value.LinkLifetime).ToUnixTimeSeconds();
        return $"{_base}/media/{id}?exp={expires.ToString(CultureInfo.InvariantCulture)}&sig={signer.Sign(id, expires)}";
    }

    private static string BaseOf(string? publicBase, string? urls)
    {
        if (Uri.TryCreate(publicBase, UriKind.Absolute, out var configured) && configured.Scheme is "http" or "https")
        {
            return configured.GetLeftPart(UriPartial.Path).TrimEnd('/');
        }

        var first = (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "http://localhost:5000";
        first = first.Replace("://*", "://127.0.0.1", StringComparison.Ordinal).Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal).Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal);
        return first.TrimEnd('/');
    }
}
