using System.ComponentModel.DataAnnotations;

namespace CommunityBot.Media;

/// <summary>How photos taken into tickets are fetched from the channels, kept, and linked to.</summary>
public sealed class MediaOptions : IValidatableObject
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

    /// <summary>How long one attempt to fetch a photo may take, redirects included.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a signed link stays valid.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the fetcher looks for photos due for a retry (a new photo is fetched at once, not at the next look).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan FetchInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Attempts per photo when its host cannot be reached or answers with an error; then it is given up as not kept.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The wait after the first failed attempt; it doubles after each further one (30 s, 1 min, 2 min by default).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Fetch from loopback and private networks too (a test stand-in, an intranet file server); off by default against SSRF.</summary>
    public bool AllowPrivateAddresses { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(PublicBaseUrl) && !IsBaseUrl(PublicBaseUrl))
        {
            yield return new ValidationResult(
                $"Media:PublicBaseUrl must be an absolute http:// or https:// address without query or fragment (e.g. https://bot.example.org), not '{PublicBaseUrl}'.",
                [nameof(PublicBaseUrl)]);
        }
    }

    private static bool IsBaseUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https"
        && uri.Host.Length > 0
        && string.IsNullOrEmpty(uri.UserInfo)
        && string.IsNullOrEmpty(uri.Query)
        && string.IsNullOrEmpty(uri.Fragment);
}
