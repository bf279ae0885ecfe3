using System.ComponentModel.DataAnnotations;

namespace CommunityBot.Oversight;

/// <summary>How the monthly ranking is drawn up (red and black lists, who is ranked at all).</summary>
public sealed class AssessmentOptions
{
    public const string SectionName = "Assessment";

    /// <summary>How many of the best-ranked grids or workers make the red list (红榜); ties at the boundary all make it.</summary>
    [Range(0, 100)]
    public int RedListSize { get; set; } = 3;

    /// <summary>How many of the worst-ranked make the black list (黑榜); ties at the boundary all make it.</summary>
    [Range(0, 100)]
    public int BlackListSize { get; set; } = 3;

    /// <summary>A grid or worker with fewer tickets in the period is listed but not ranked (a few tickets say little).</summary>
    [Range(1, 100_000)]
    public int MinimumVolume { get; set; } = 10;
}
