using CommunityBot.Dialogs.Understanding;

namespace CommunityBot.Understanding;

/// <summary>
/// The matcher's decision: <see cref="Answer"/> when it is sure, otherwise up to a few <see cref="Suggestions"/>;
/// <see cref="Ranked"/> holds every candidate it scored, best first, whatever the thresholds.
/// </summary>
public sealed record FaqMatch(FaqCandidate? Answer, IReadOnlyList<FaqCandidate> Suggestions, IReadOnlyList<FaqCandidate> Ranked)
{
    public static FaqMatch None { get; } = new(null, [], []);

    public FaqCandidate? Best => Ranked.Count > 0 ? Ranked[0] : null;
}
