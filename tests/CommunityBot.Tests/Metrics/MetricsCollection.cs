namespace CommunityBot.Tests.Metrics;

/// <summary>Runs the metrics tests on their own (see <see cref="MetricsHttpTests"/>).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Metrics";
}
