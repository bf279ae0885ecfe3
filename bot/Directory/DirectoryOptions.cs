using System.ComponentModel.DataAnnotations;

namespace CommunityBot.Directory;

/// <summary>Settings for the grid directory and routing.</summary>
public sealed class DirectoryOptions
{
    public const string SectionName = "Directory";

    /// <summary>The street office's time zone: rosters and leave dates are in its local time. China has one, UTC+8, without daylight saving.</summary>
    [Required]
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>Imported into an empty directory at startup (relative to the binaries); empty to seed nothing.</summary>
    public string DemoFile { get; set; } = "Data/demo-directory.json";

    /// <summary>Whether importing the demo directory also posts its demo 停水 notice (幸福里小区5号楼, three days from then).</summary>
    public bool DemoNotice { get; set; } = true;

    /// <summary>The office's time zone (a fixed UTC+8 for the default when the system has no time-zone data).</summary>
    public TimeZoneInfo ResolveTimeZone()
    {
        if (TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var zone))
        {
            return zone;
        }
        return TimeZone == "Asia/Shanghai"
            ? TimeZoneInfo.CreateCustomTimeZone(TimeZone, TimeSpan.FromHours(8), "China Standard Time", "China Standard Time")
            : throw new InvalidOperationException($"Directory:TimeZone \"{TimeZone}\" is not a time zone this system knows (e.g. Asia/Shanghai).");
    }
}
