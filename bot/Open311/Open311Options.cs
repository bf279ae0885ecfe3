using System.ComponentModel.DataAnnotations;

namespace CommunityBot.Open311;

/// <summary>
/// Settings of the Open311 GeoReport v2 API (https://wiki.open311.org/GeoReport_v2/). The API keys are secrets:
/// set them from the environment (<c>Open311__ApiKeys__0</c>), never in appsettings.json.
/// </summary>
public sealed class Open311Options
{
    public const string SectionName = "Open311";

    /// <summary>False hides every /open311/v2 endpoint.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Keys a client must send as <c>api_key</c> to POST a request. None configured: POST is refused (403).</summary>
    public List<string> ApiKeys { get; set; } = [];

    /// <summary>Our jurisdiction_id; a request naming another jurisdiction is refused.</summary>
    [Required, RegularExpression("^[A-Za-z0-9._-]{1,64}$")]
    public string JurisdictionId { get; set; } = "fenghe.communitybot";

    /// <summary>
    /// Which chat channel reaches the grid worker for a request filed through the API (the API itself has no chat):
    /// "local" (the local chat page: the default, so the demo shows the card) or "wecom" (set it in a WeCom deployment). Teams is not offered: a proactive Teams message needs the service
    /// URL of a conversation the bot already has, which an API request does not bring.
    /// </summary>
    [Required, RegularExpression("^(wecom|local)$")]
    public string WorkerChannel { get; set; } = "local";

    /// <summary>The window GET requests covers when no dates are given, and the longest one it accepts (the spec's 90 days).</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "366.00:00:00")]
    public TimeSpan DefaultWindow { get; set; } = TimeSpan.FromDays(90);

    /// <summary>At most this many requests in one GET (the spec's suggested 1000).</summary>
    [Range(1, 10_000)]
    public int MaxResults { get; set; } = 1000;

    /// <summary>A POST body larger than this is refused with 413.</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 16 * 1024;

    [Range(10, 10_000)]
    public int MaxDescriptionLength { get; set; } = 2000;

    /// <summary>POSTs allowed per API key in each <see cref="RateWindow"/>.</summary>
    [Range(1, 100_000)]
    public int PostsPerWindow { get; set; } = 60;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RateWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Rate windows kept at most (one per API key, one per address that sent a wrong key): past it, windows that ended
    /// are dropped, then the oldest, so a flood from many addresses cannot grow the server's memory.
    /// </summary>
    [Range(10, 1_000_000)]
    public int MaxRateWindows { get; set; } = 10_000;
}
