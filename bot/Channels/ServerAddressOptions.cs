using Microsoft.Extensions.Configuration;

namespace CommunityBot.Channels;

/// <summary>
/// Where the server is told to listen, read from the host's own settings (bound from the configuration root):
/// <c>Urls</c> (appsettings.json, <c>--urls</c>, <c>ASPNETCORE_URLS</c>), <c>HTTP_PORTS</c>/<c>HTTPS_PORTS</c>
/// (<c>ASPNETCORE_HTTP_PORTS</c>, set by the official container images) and <c>Kestrel:Endpoints:*:Url</c>.
/// Nothing here is a CommunityBot setting; <see cref="HostExposure"/> only reads it.
/// </summary>
public sealed class ServerAddressOptions
{
    public string? Urls { get; set; }

    [ConfigurationKeyName("HTTP_PORTS")]
    public string? HttpPorts { get; set; }

    [ConfigurationKeyName("HTTPS_PORTS")]
    public string? HttpsPorts { get; set; }

    public KestrelSection Kestrel { get; set; } = new();

    public sealed class KestrelSection
    {
        public Dictionary<string, KestrelEndpoint> Endpoints { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    }

    public sealed class KestrelEndpoint
    {
        public string? Url { get; set; }
    }
}
