namespace CommunityBot.Metrics;

/// <summary>The figures since <see cref="StartedAt"/>, and the latency of the last <see cref="RecentAnswers"/> answers.</summary>
public sealed record MetricsSnapshot(
    DateTimeOffset StartedAt,
    IReadOnlyList<MetricTotal> Totals,
    int RecentAnswers,
    TimeSpan? AnswerLatencyMedian,
    TimeSpan? AnswerLatencyP95)
{
    public long Total(string figure, string? outcome = null, string? channel = null) =>
        Totals.Where(t => t.Figure == figure && (outcome is null || t.Outcome == outcome) && (channel is null || t.Channel == channel)).Sum(t => t.Value);

    public IReadOnlyList<string> Channels(string figure) =>
        [.. Totals.Where(t => t.Figure == figure).Select(t => t.Channel).Distinct().Order(StringComparer.Ordinal)];
}
