namespace CommunityBot.Directory;

/// <summary>
/// An outside department (派出所, 供电所 …) that co-handles tickets of some categories. A category matches when it
/// equals one of <see cref="Categories"/> or is a sub-category of it ("水电气暖-电" under "水电气暖").
/// </summary>
public sealed record Department
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public List<string> Categories { get; init; } = [];

    /// <summary>The contact person or desk.</summary>
    public string? Contact { get; init; }

    /// <summary>The department's service number.</summary>
    public string? Phone { get; init; }

    public bool Handles(string category) => Categories.Any(c =>
        string.Equals(c, category, StringComparison.Ordinal)
        || (category.Length > c.Length && category.StartsWith(c, StringComparison.Ordinal) && category[c.Length] == '-'));
}
