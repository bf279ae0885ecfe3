using CommunityBot.Dialogs.Understanding;
using CommunityBot.Faq;
using CommunityBot.Understanding.Matching;
using Microsoft.Extensions.Options;

namespace CommunityBot.Understanding;

/// <summary>
/// Turns the FAQ index's raw scores into a confidence in [0, 1] and decides: answer, suggest or nothing.
/// Thread-safe; <see cref="Reload"/> builds a new index and swaps it in atomically.
/// </summary>
public sealed class FaqMatcher
{
    private const int Candidates = 10;

    private readonly FaqMatchingOptions _options;
    private readonly SynonymDictionary _synonyms;
    private volatile FaqIndex _index = FaqIndex.Empty;

    public FaqMatcher(IOptions<FaqMatchingOptions> options)
        : this(options.Value)
    {
    }

    public FaqMatcher(FaqMatchingOptions options, IEnumerable<FaqEntry>? entries = null, SynonymDictionary? synonyms = null)
    {
        _options = options;
        _synonyms = synonyms ?? LoadSynonyms(options.SynonymFile);
        if (entries is not null)
        {
            Reload(entries);
        }
    }

    public FaqMatchingOptions Options => _options;

    /// <summary>How many phrasings the current index holds.</summary>
    public int PhrasingCount => _index.PhrasingCount;

    /// <summary>How many words the synonym dictionary rewrites.</summary>
    public int SynonymCount => _synonyms.Count;

    /// <summary>Rebuilds the index from <paramref name="entries"/>; readers keep using the old one until the swap.</summary>
    public void Reload(IEnumerable<FaqEntry> entries)
    {
        // The old index is left to the garbage collector rather than disposed: a concurrent reader may still be in it.
        _index = FaqIndex.Build(entries, _synonyms, _options.LearnedSynonymWeight > 0, _options.LearnedSynonymMinEntries);
    }

    public FaqMatch Match(string text)
    {
        var index = _index;
        var hits = index.Search(index.Prepare(text), Candidates, (float)_options.LearnedSynonymWeight);
        if (hits.Count == 0)
        {
            return FaqMatch.None;
        }
        var topBm25 = hits.Max(h => h.Bm25);
        var lambda = _options.RankConfidenceWeight;
        var scored = new List<(FaqCandidate Candidate, double Rank)>(hits.Count);
        foreach (var hit in hits)
        {
            var penalty = Penalty(hit);
            // The ranking may count the entry's second-closest phrasing too (an entry that several phrasings
            // match is more likely the one meant); the confidence is the closest phrasing's alone, so it means the
            // same whether an entry has one phrasing or five.
            var closeness = hit.Similarity + _options.SecondPhrasingWeight * hit.SecondSimilarity;
            var rank = (1 - lambda) * (topBm25 > 0 ? hit.Bm25 / topBm25 : 0) + lambda * closeness - penalty;
            scored.Add((new FaqCandidate(hit.EntryId, Math.Round(Math.Clamp(Confidence(hit) - penalty, 0, 1), 4)), rank));
        }
        // A stable sort: ties keep BM25's order.
        var ranked = scored.OrderByDescending(s => s.Rank).Select(s => s.Candidate).ToList();

        var best = ranked[0];
        if (best.Score >= _options.AnswerThreshold)
        {
            return new FaqMatch(best, [], ranked);
        }
        var suggestions = ranked.Where(c => c.Score >= _options.SuggestThreshold).Take(_options.MaxSuggestions).ToList();
        return new FaqMatch(null, suggestions, ranked);
    }

    /// <summary>
    /// The idf-weighted cosine between the query and the entry's closest phrasing: 1 for the same words, lowered by
    /// whatever either side has that the other lacks, so it is comparable across queries, unlike raw BM25.
    /// </summary>
    private static double Confidence(FaqHit hit) => Math.Clamp(hit.Similarity, 0, 1);

    private double Penalty(FaqHit hit) =>
        (hit.NegationMismatch ? _options.NegationPenalty : 0) + (hit.NumberMismatch ? _options.NumberPenalty : 0);

    private static SynonymDictionary LoadSynonyms(string file)
    {
        if (string.IsNullOrWhiteSpace(file))
        {
            return SynonymDictionary.Empty;
        }
        return SynonymDictionary.Load(Path.IsPathRooted(file) ? file : Path.Combine(AppContext.BaseDirectory, file));
    }
}
