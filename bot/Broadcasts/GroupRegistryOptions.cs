using System.ComponentModel.DataAnnotations;

namespace CommunityBot.Broadcasts;

/// <summary>Bounds of the group registry (section <c>Groups</c>).</summary>
public sealed class GroupRegistryOptions
{
    public const string SectionName = "Groups";

    /// <summary>
    /// Most groups kept. A new group beyond it makes room by dropping the least recently seen group that staff have not
    /// tied to a community; when every group is tied to one, the new group is not registered.
    /// </summary>
    [Range(10, 1_000_000)]
    public int MaxGroups { get; set; } = 10_000;

    /// <summary>A group not tied to a community and not seen for this long is dropped (when a new group is registered).</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan UnassignedRetention { get; set; } = TimeSpan.FromDays(180);
}
