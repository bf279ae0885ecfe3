namespace CommunityBot.Understanding.Nlu;

/// <summary>What a cached model was trained from, kept next to it as <c>{kind}.json</c>.</summary>
public sealed record NluModelInfo
{
    /// <summary><see cref="Shipped"/> for the team's data in the repo, otherwise the office file's name.</summary>
    public required string Source { get; init; }

    /// <summary>The hash of the shipped data and settings the model was trained from (shipped models only).</summary>
    public string? Hash { get; init; }
    public IReadOnlyList<string> Labels { get; init; } = [];
    public int Rows { get; init; }
    public DateTimeOffset TrainedAt { get; init; }
    public double TrainSeconds { get; init; }

    public const string Shipped = "shipped";
}
