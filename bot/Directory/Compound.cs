namespace CommunityBot.Directory;

/// <summary>
/// A residential compound (小区). Most lie in one grid (<see cref="GridId"/>); a compound split between grids
/// lists which grid covers which buildings in <see cref="BuildingGrids"/>, and <see cref="GridId"/> covers the rest.
/// </summary>
public sealed record Compound
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    /// <summary>Other names residents use, e.g. "幸福里" for "幸福里小区".</summary>
    public List<string> Aliases { get; init; } = [];

    /// <summary>The id of the community the compound belongs to.</summary>
    public required string Community { get; init; }

    /// <summary>Canonical building names, e.g. "3号楼" (see <see cref="BuildingName"/>).</summary>
    public List<string> Buildings { get; init; } = [];

    /// <summary>The grid for the whole compound, or for the buildings no <see cref="BuildingGrids"/> entry names.</summary>
    public string? GridId { get; init; }

    public List<BuildingAssignment> BuildingGrids { get; init; } = [];
}
