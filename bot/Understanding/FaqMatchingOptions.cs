using System.ComponentModel.DataAnnotations;

namespace CommunityBot.Understanding;

/// <summary>When the FAQ matcher answers, suggests or declines. Defaults were chosen on the evaluation sets (see eval/).</summary>
public sealed class FaqMatchingOptions
{
    public const string SectionName = "FaqMatching";

    /// <summary>
    /// Confidence at or above which the assistant answers with the best entry. 0.6 keeps wrong answers rare: on
    /// the development sets, look-alike questions got the look-alike entry 26 % of the time (goal ≤ 30 %) and
    /// questions with no entry were answered 6 % of the time (goal ≤ 10 %); below it, the entry is suggested.
    /// </summary>
    [Range(0.0, 1.0)]
    public double AnswerThreshold { get; set; } = 0.6;

    /// <summary>
    /// Confidence at or above which an entry is offered as "您是想问". Suggestions are cheap (a button the resident
    /// may ignore), so this is low: at 0.3 the right entry is answered or suggested for 88 % of faq-open paraphrases.
    /// </summary>
    [Range(0.0, 1.0)]
    public double SuggestThreshold { get; set; } = 0.3;

    [Range(1, 10)]
    public int MaxSuggestions { get; set; } = 3;
}
