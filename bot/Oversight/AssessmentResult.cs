namespace CommunityBot.Oversight;

/// <summary>Everything the dashboards and the monthly report show for one period.</summary>
public sealed record AssessmentResult
{
    /// <summary>E.g. "2026-11" or "2026-11-01 – 2026-11-15".</summary>
    public string Title { get; init; } = "";

    /// <summary>Tickets created from here (inclusive)…</summary>
    public DateTime FromUtc { get; init; }

    /// <summary>…to here (exclusive).</summary>
    public DateTime ToUtc { get; init; }

    /// <summary>Deadlines after this moment were not yet due; events after it were not yet known.</summary>
    public DateTime AsOfUtc { get; init; }

    /// <summary>The street first, then its communities, then their grids (down to the level asked for).</summary>
    public IReadOnlyList<UnitFigures> Units { get; init; } = [];

    public IReadOnlyList<UnitFigures> Workers { get; init; } = [];

    public TimeDistribution ResponseTimes { get; init; } = TimeDistribution.Of([], [], "");

    public TimeDistribution ClosingTimes { get; init; } = TimeDistribution.Of([], [], "");

    /// <summary>Tickets per local calendar day, every day of the period (zeros included).</summary>
    public IReadOnlyList<(DateOnly Day, int Volume)> ByDay { get; init; } = [];

    /// <summary>Tickets per category, the largest first.</summary>
    public IReadOnlyList<(string Category, int Volume)> ByCategory { get; init; } = [];

    public Ranking GridRanking { get; init; } = new([], [], []);

    public Ranking WorkerRanking { get; init; } = new([], [], []);

    public UnitFigures Street => Units[0];
}
