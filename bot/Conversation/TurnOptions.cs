using System.ComponentModel.DataAnnotations;

namespace CommunityBot.Conversation;

/// <summary>Limits the pipeline applies to every turn.</summary>
public sealed class TurnOptions
{
    public const string SectionName = "Turns";

    /// <summary>Messages longer than this are not understood; the resident is asked to shorten them.</summary>
    [Range(10, 20_000)]
    public int MaxTextLength { get; set; } = 2000;

    /// <summary>How long delivered message ids are remembered for de-duplication.</summary>
    [Range(typeof(TimeSpan), "00:10:00", "30.00:00:00")]
    public TimeSpan DedupeWindow { get; set; } = TimeSpan.FromDays(2);
}
