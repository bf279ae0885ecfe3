using System.ComponentModel.DataAnnotations;

namespace CommunityBot.Backup;

/// <summary>Scheduled backups of the store (off until <see cref="Interval"/> is set).</summary>
public sealed class BackupOptions
{
    public const string SectionName = "Backup";

    /// <summary>How often the server backs up its store; unset (the default) means never.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00")]
    public TimeSpan? Interval { get; set; }

    /// <summary>Where scheduled backups go; relative to the data directory. Best on another disk.</summary>
    [Required]
    public string Folder { get; set; } = "backups";

    /// <summary>How many scheduled backups to keep; older ones in <see cref="Folder"/> are deleted.</summary>
    [Range(1, 1000)]
    public int Keep { get; set; } = 7;
}
