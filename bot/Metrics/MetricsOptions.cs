namespace CommunityBot.Metrics;

/// <summary>The OpenTelemetry metrics and their Prometheus scrape endpoint (off by default).</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Metrics";

    /// <summary>Collects the meters and serves <see cref="Path"/>. Off: the instruments exist but nothing listens (near free).</summary>
    public bool Enabled { get; set; }

    /// <summary>Where Prometheus scrapes.</summary>
    public string Path { get; set; } = "/metrics";

    /// <summary>
    /// A scraper on another machine sends <c>Authorization: Bearer</c> this (from the environment: <c>Metrics__ScrapeToken</c>,
    /// at least 32 characters). Without one, only this machine (not through a proxy) may scrape; others get 404.
    /// </summary>
    public string? ScrapeToken { get; set; }
}
