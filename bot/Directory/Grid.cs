namespace CommunityBot.Directory;

/// <summary>A third-level grid (三级网格), e.g. "FH-01-02", with its grid worker and deputy.</summary>
public sealed record Grid
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    /// <summary>The id of the community the grid belongs to.</summary>
    public required string Community { get; init; }

    /// <summary>The grid worker (网格员) responsible when no roster says otherwise.</summary>
    public string? WorkerId { get; init; }

    /// <summary>Who stands in when the grid worker is on leave or off duty.</summary>
    public string? DeputyWorkerId { get; init; }
}
