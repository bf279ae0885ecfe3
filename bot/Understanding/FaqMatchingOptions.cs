using System.ComponentModel.DataAnnotations;

namespace CommunityBot.Understanding;

/// <summary>When the FAQ matcher answers, suggests or declines, and how it scores. Defaults were chosen on the evaluation sets (see eval/README.md).</summary>
public sealed class FaqMatchingOptions
{
    public const string SectionName = "FaqMatching";

    /// <summary>
    /// Confidence at or above which the assistant answers with the best entry; below it, the entry is suggested.
    /// From a sweep (eval/README.md), with <see cref="MinPhrasingCoverage"/> 0.6, faq-open answered correctly /
    /// look-alikes answered, faq-paraphrase answered correctly / out-of-KB answered: 0.45 → 0.700 / 0.322, 0.072 /
    /// 0.125; 0.5 → 0.690 / 0.297, 0.065 / 0.111 (0.6 without the coverage rule: 0.633 / 0.229, 0.052 / 0.082).
    /// 0.5 is kept as the safer of the two for a held-out KB.
    /// </summary>
    [Range(0.0, 1.0)]
    public double AnswerThreshold { get; set; } = 0.5;

    /// <summary>
    /// The least share of the best entry's closest phrasing (idf-weighted words, characters and bigrams) the message
    /// must say for an answer; below it the entry is only suggested, whatever the confidence (0 = off). It is what
    /// keeps the vague "在哪交钱" (0.58 with the water bill, which it shares "在哪…交" with but not 水费) a choice at
    /// answer threshold 0.5. See eval/README.md for its cost on the evaluation sets.
    /// </summary>
    [Range(0.0, 1.0)]
    public double MinPhrasingCoverage { get; set; } = 0.6;

    /// <summary>
    /// Confidence at or above which an entry is offered as "您是想问"; below it the assistant declines. Suggestions
    /// are cheap (a button the resident may ignore), so this is low; below 0.3 most out-of-KB questions get buttons.
    /// </summary>
    [Range(0.0, 1.0)]
    public double SuggestThreshold { get; set; } = 0.3;

    [Range(1, 10)]
    public int MaxSuggestions { get; set; } = 3;

    public const int DefaultMaxMisses = 10_000;

    /// <summary>Unanswered questions kept for the office (console 未命中问题); past it the oldest are dropped.</summary>
    [Range(10, 1_000_000)]
    public int MaxMisses { get; set; } = DefaultMaxMisses;

    /// <summary>The synonym dictionary, relative to the application's directory unless rooted; empty for none.</summary>
    public string SynonymFile { get; set; } = "Data/synonyms.txt";

    /// <summary>
    /// How much a query word found under a synonym learned from the knowledge base counts (0 = off, and nothing is
    /// learned). Off by default: 0.5 and 1.0 moved no development set by more than 0.002.
    /// </summary>
    [Range(0.0, 1.0)]
    public double LearnedSynonymWeight { get; set; }

    /// <summary>In how many entries two words must stand for each other before they count as learned synonyms.</summary>
    [Range(1, 100)]
    public int LearnedSynonymMinEntries { get; set; } = 2;

    /// <summary>
    /// How much the entry's second-closest phrasing adds to its ranking score (0 = closest phrasing only, 1 = the
    /// sum of the two closest); the confidence is always the closest phrasing's. Only matters with
    /// <see cref="RankConfidenceWeight"/> above 0: with 0.5 it lifts faq-curated rank-1 from 0.287 to 0.309.
    /// </summary>
    [Range(0.0, 1.0)]
    public double SecondPhrasingWeight { get; set; } = 1.0;

    /// <summary>Taken off the confidence when exactly one of message and phrasing is negated ("能" vs "不能").</summary>
    [Range(0.0, 1.0)]
    public double NegationPenalty { get; set; } = 0.2;

    /// <summary>Taken off the confidence when message and phrasing name different numbers ("3号楼" vs "5号楼").</summary>
    [Range(0.0, 1.0)]
    public double NumberPenalty { get; set; } = 0.2;

    /// <summary>
    /// Ranking mixes BM25 (relative to the best candidate's) with the confidence: 0 ranks by BM25 alone, 1 by the
    /// confidence alone. 0.5 with <see cref="SecondPhrasingWeight"/> 1 costs faq-open rank-1 0.008 and gains
    /// faq-curated 0.02.
    /// </summary>
    [Range(0.0, 1.0)]
    public double RankConfidenceWeight { get; set; } = 0.5;

    /// <summary>
    /// Re-rank the candidates with the learned model (<see cref="Ranking.FaqReranker"/>) and use its probability as the
    /// confidence, with <see cref="RerankAnswerThreshold"/> and <see cref="RerankSuggestThreshold"/>. Off: the
    /// BM25/cosine ranking above with <see cref="AnswerThreshold"/> and <see cref="SuggestThreshold"/>. Off by
    /// default: trained on our own demo KB it lifted faq-curated rank-1 by ~0.007 but ranked faq-open worse (0.807 vs
    /// 0.832), its probability separated look-alikes worse than the cosine does, and training adds seconds to every
    /// index build (eval/README.md).
    /// </summary>
    public bool Rerank { get; set; }

    /// <summary>
    /// Order the candidates by the re-ranker's probability (true) or keep the blend order above and use the probability
    /// only as the confidence (false).
    /// </summary>
    public bool RerankOrder { get; set; } = true;

    /// <summary>
    /// Re-ranker probability at or above which the assistant answers. From a sweep (eval/README.md): 0.5 keeps faq-open
    /// look-alikes answered at 0.37 (≤ 0.40) with 0.61 answered correctly; faq-paraphrase's out-of-KB questions need 0.7
    /// to stay under 0.20.
    /// </summary>
    [Range(0.0, 1.0)]
    public double RerankAnswerThreshold { get; set; } = 0.5;

    /// <summary>Re-ranker probability at or above which an entry is offered as "您是想问" (the demo's vague "在哪交钱" offers three at 0.44–0.21).</summary>
    [Range(0.0, 1.0)]
    public double RerankSuggestThreshold { get; set; } = 0.15;

    /// <summary>
    /// A knowledge base the project owns whose phrasings train the re-ranker besides the loaded one's, relative to the
    /// application's directory unless rooted; empty for none. The shipped demo KB, never evaluation data.
    /// </summary>
    public string RerankTrainingFile { get; set; } = "Data/demo-faq.csv";

    /// <summary>At most this many of the loaded knowledge base's phrasings are held out as training messages (keeps a rebuild of a large KB fast).</summary>
    [Range(0, 100_000)]
    public int RerankMaxTrainingQueries { get; set; } = 600;

    /// <summary>At most this many of the loaded knowledge base's entries are held out whole as unanswerable training messages.</summary>
    [Range(0, 100_000)]
    public int RerankMaxUnanswerableQueries { get; set; }

    /// <summary>L2 regularisation of the re-ranker's logistic regression (features are standardised).</summary>
    [Range(0.0, 100.0)]
    public double RerankL2 { get; set; } = 0.1;
}
