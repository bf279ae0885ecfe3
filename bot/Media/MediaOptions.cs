using System.ComponentModel.DataAnnotations;

namespace CommunityBot.Media;

/// <summary>How photos taken into tickets are fetched from the channels, kept, and linked to.</summary>
public sealed class MediaOptions
{
    public const string SectionName = "Media";

    /// <summary>
    /// The address residents and other channels reach this server on (e.g. https://bot.example.org); the signed photo
    /// links start with it. Without it the links use the server's own loopback address, which only the demo on this machine opens.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>A photo larger than this is refused.</summary>
    [Range(1024, 100 * 1024 * 1024)]
    public long MaxBytes { get; set; } = 10 * 1024 * 1024;

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a signed link stays valid.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often pending photos are fetched.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan FetchInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Fetch from loopback and private networks too (a test stand-in, an intranet file server); off by default against SSRF.</summary>
    public bool AllowPrivateAddresses { get; set; }
}
