using System.ComponentModel.DataAnnotations;

namespace CommunityBot.Storage;

/// <summary>Where the assistant keeps its data: one LiteDB file under the data directory.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "CommunityBot";

    /// <summary>The data directory; relative paths are taken from the current directory. Also <c>--data-dir</c> and <c>CommunityBot__DataDir</c>.</summary>
    [Required]
    public string DataDir { get; set; } = "data";

    public string DatabasePath => Path.Combine(Path.GetFullPath(DataDir), "communitybot.db");
}
