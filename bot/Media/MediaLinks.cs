using System.Globalization;
using CommunityBot.Channels;
using Microsoft.Extensions.Options;

namespace CommunityBot.Media;

/// <summary>
/// The signed, expiring links to stored photos: <c>{base}/media/{id}?exp=…&amp;sig=…</c>. The base is
/// <see cref="MediaOptions.PublicBaseUrl"/>; without one, the server's first configured address with a wildcard host
/// read as 127.0.0.1: enough for the local chat on this machine, not for a resident on WeCom or Teams.
/// </summary>
public sealed class MediaLinks(MediaSigner signer, IOptions<MediaOptions> options, IOptions<ServerAddressOptions> server, TimeProvider time)
{
    /// <summary>The path every link starts with after the base.</summary>
    public const string RoutePrefix = "/media/";

    /// <summary>How long a link on a console page lasts: it is made again at every view.</summary>
    public static readonly TimeSpan PageLifetime = TimeSpan.FromHours(12);

    /// <summary>Where links point: the configured public address, else this server's own.</summary>
    public string Base { get; } = BaseOf(options.Value.PublicBaseUrl, server.Value);

    /// <summary>True when <see cref="MediaOptions.PublicBaseUrl"/> is set, so links open from other machines.</summary>
    public bool IsPublic { get; } = !string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl);

    /// <summary>The absolute link to a stored photo, valid for <see cref="MediaOptions.LinkLifetime"/>: what goes out to a chat.</summary>
    public string LinkFor(MediaItem item) => Base + PathFor(item, options.Value.LinkLifetime);

    /// <summary>The link as a path on this server (a console page that is itself served from here), valid for <paramref name="lifetime"/>.</summary>
    public string PathFor(MediaItem item, TimeSpan lifetime)
    {
        var expires = time.GetUtcNow().Add(lifetime).ToUnixTimeSeconds();
        return $"{RoutePrefix}{item.Id}?exp={expires.ToString(CultureInfo.InvariantCulture)}&sig={signer.Sign(item.Id, expires)}";
    }

    private static string BaseOf(string? publicBase, ServerAddressOptions server)
    {
        if (!string.IsNullOrWhiteSpace(publicBase) && Uri.TryCreate(publicBase, UriKind.Absolute, out var configured))
        {
            return configured.GetLeftPart(UriPartial.Path).TrimEnd('/');
        }

        var first = Split(server.Urls).FirstOrDefault()
            ?? server.Kestrel.Endpoints.Values.Select(e => e.Url).FirstOrDefault(u => !string.IsNullOrWhiteSpace(u))
            ?? Split(server.HttpPorts).Select(port => "http://*:" + port).FirstOrDefault()
            ?? "http://localhost:5000";
        foreach (var wildcard in (ReadOnlySpan<string>)["://*", "://+", "://0.0.0.0", "://[::]"])
        {
            first = first.Replace(wildcard, "://127.0.0.1", StringComparison.Ordinal);
        }

        return first.Trim().TrimEnd('/');
    }

    private static IEnumerable<string> Split(string? list) =>
        (list ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
