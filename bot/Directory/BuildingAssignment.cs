namespace CommunityBot.Directory;

/// <summary>The buildings of a split compound that one grid covers.</summary>
public sealed record BuildingAssignment
{
    public required string GridId { get; init; }

    public List<string> Buildings { get; init; } = [];
}
