namespace CommunityBot.Directory;

/// <summary>
/// Where a ticket goes: its compound, grid and community (when known), the responsible <see cref="Worker"/> (null
/// only when the directory names nobody at that level), departments that co-handle its category, and a zh-CN
/// <see cref="Reason"/> that staff can read. The reason names workers but never their contact details.
/// </summary>
public sealed record RoutingDecision
{
    public required RoutingLevel Level { get; init; }

    public Compound? Compound { get; init; }

    /// <summary>The canonical building (e.g. "3号楼") when one was given.</summary>
    public string? Building { get; init; }

    public Grid? Grid { get; init; }

    public Community? Community { get; init; }

    public Worker? Worker { get; init; }

    public IReadOnlyList<Department> CoHandlers { get; init; } = [];

    public required string Reason { get; init; }

    public string? WorkerId => Worker?.Id;

    public string? GridId => Grid?.Id;
}
