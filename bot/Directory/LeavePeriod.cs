namespace CommunityBot.Directory;

/// <summary>A worker is away from <see cref="Start"/> (inclusive) to <see cref="End"/> (exclusive).</summary>
public sealed record LeavePeriod
{
    public required string WorkerId { get; init; }

    public DateTimeOffset Start { get; init; }

    public DateTimeOffset End { get; init; }

    public string? Reason { get; init; }

    public bool Covers(DateTimeOffset at) => at >= Start && at < End;
}
