namespace CommunityBot.Oversight;

/// <summary>A distribution of durations: count, median and 90th percentile (nearest rank), and a histogram.</summary>
public sealed record TimeDistribution(int Count, TimeSpan? Median, TimeSpan? P90, IReadOnlyList<HistogramBucket> Buckets)
{
    /// <summary>
    /// Builds the distribution; <paramref name="upperBounds"/> are the buckets' inclusive upper bounds in ascending
    /// order, and a last open bucket takes the rest. Sorts <paramref name="values"/> in place.
    /// </summary>
    public static TimeDistribution Of(List<TimeSpan> values, IReadOnlyList<(TimeSpan UpperBound, string Label)> upperBounds, string overflowLabel)
    {
        values.Sort();
        var counts = new int[upperBounds.Count + 1];
        foreach (var value in values)
        {
            var bucket = 0;
            while (bucket < upperBounds.Count && value > upperBounds[bucket].UpperBound)
            {
                bucket++;
            }

            counts[bucket]++;
        }

        var buckets = upperBounds.Select((b, i) => new HistogramBucket(b.Label, b.UpperBound, counts[i]))
            .Append(new HistogramBucket(overflowLabel, null, counts[^1]))
            .ToList();
        return new TimeDistribution(values.Count, Percentile(values, 50), Percentile(values, 90), buckets);
    }

    /// <summary>Nearest-rank percentile of sorted values: the smallest value with at least p % of values at or below it.</summary>
    public static TimeSpan? Percentile(List<TimeSpan> sorted, double p) =>
        sorted.Count == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}

/// <summary>One histogram bar: durations up to <see cref="UpperBound"/> (null: the open last bucket).</summary>
public sealed record HistogramBucket(string Label, TimeSpan? UpperBound, int Count);
