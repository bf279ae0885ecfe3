using System.ComponentModel.DataAnnotations;

namespace CommunityBot.Understanding;

/// <summary>When the FAQ matcher answers, suggests or declines, and how it scores. Defaults were chosen on the evaluation sets (see eval/README.md).</summary>
public sealed class FaqMatchingOptions
{
    public const string SectionName = "FaqMatching";

    /// <summary>
    /// Confidence at or above which the assistant answers with the best entry; below it, the entry is suggested.
    /// </summary>
    [Range(0.0, 1.0)]
    public double AnswerThreshold { get; set; } = 0.6;

    /// <summary>
    /// Confidence at or above which an entry is offered as "您是想问"; below it the assistant declines. Suggestions
    /// are cheap (a button the resident may ignore), so this is low.
    /// </summary>
    [Range(0.0, 1.0)]
    public double SuggestThreshold { get; set; } = 0.3;

    [Range(1, 10)]
    public int MaxSuggestions { get; set; } = 3;

    /// <summary>The synonym dictionary, relative to the application's directory unless rooted; empty for none.</summary>
    public string SynonymFile { get; set; } = "Data/synonyms.txt";

    /// <summary>How much a query word found under a synonym learned from the knowledge base counts (0 = off).</summary>
    [Range(0.0, 1.0)]
    public double LearnedSynonymWeight { get; set; } = 0.5;

    /// <summary>How much the entry's second-closest phrasing adds to its confidence (0 = closest phrasing only).</summary>
    [Range(0.0, 1.0)]
    public double SecondPhrasingWeight { get; set; }

    /// <summary>Taken off the confidence when exactly one of message and phrasing is negated ("能" vs "不能").</summary>
    [Range(0.0, 1.0)]
    public double NegationPenalty { get; set; } = 0.1;

    /// <summary>Taken off the confidence when message and phrasing name different numbers ("3号楼" vs "5号楼").</summary>
    [Range(0.0, 1.0)]
    public double NumberPenalty { get; set; } = 0.1;

    /// <summary>
    /// Ranking mixes BM25 (relative to the best candidate's) with the confidence: 0 ranks by BM25 alone, 1 by the
    /// confidence alone.
    /// </summary>
    [Range(0.0, 1.0)]
    public double RankConfidenceWeight { get; set; }
}
