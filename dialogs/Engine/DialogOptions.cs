using System.ComponentModel.DataAnnotations;

namespace CommunityBot.Dialogs.Engine;

/// <summary>How long a resident's unfinished dialog is kept, and how often a prompt is repeated.</summary>
public sealed class DialogOptions
{
    public const string SectionName = "Dialogs";

    /// <summary>A dialog idle for longer than this expires quietly; the next message starts afresh.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan Expiry { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How many invalid answers a prompt accepts before the dialog gives up.</summary>
    [Range(1, 10)]
    public int MaxPromptAttempts { get; set; } = 3;
}
