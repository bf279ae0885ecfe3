using System.ComponentModel.DataAnnotations;

namespace CommunityBot.Understanding;

/// <summary>When the FAQ matcher answers, suggests or declines. Defaults were chosen on the evaluation sets (see eval/).</summary>
public sealed class FaqMatchingOptions
{
    public const string SectionName = "FaqMatching";

    /// <summary>Confidence at or above which the assistant answers with the best entry.</summary>
    [Range(0.0, 1.0)]
    public double AnswerThreshold { get; set; } = 0.6;

    /// <summary>Confidence at or above which an entry is offered as "您是想问".</summary>
    [Range(0.0, 1.0)]
    public double SuggestThreshold { get; set; } = 0.3;

    [Range(1, 10)]
    public int MaxSuggestions { get; set; } = 3;
}
