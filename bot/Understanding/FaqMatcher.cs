using CommunityBot.Dialogs.Understanding;
using CommunityBot.Faq;
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
    private volatile FaqIndex _index = FaqIndex.Empty;

    public FaqMatcher(IOptions<FaqMatchingOptions> options)
    {
        _options = options.Value;
    }

    public FaqMatcher(FaqMatchingOptions options, IEnumerable<FaqEntry>? entries = null)
    {
        _options = options;
        if (entries is not null)
        {
            Reload(entries);
        }
    }

    public FaqMatchingOptions Options => _options;

    /// <summary>How many phrasings the current index holds.</summary>
    public int PhrasingCount => _index.PhrasingCount;

    /// <summary>Rebuilds the index from <paramref name="entries"/>; readers keep using the old one until the swap.</summary>
    public void Reload(IEnumerable<FaqEntry> entries)
    {
        // The old index is left to the garbage collector rather than disposed: a concurrent reader may still be in it.
        _index = FaqIndex.Build(entries);
    }

    public FaqMatch Match(string text)
    {
        var query = QueryText.From(text);
        var hits = _index.Search(query, Candidates);
        if (hits.Count == 0)
        {
            return FaqMatch.None;
        }
        var ranked = new List<FaqCandidate>(hits.Count);
        for (var i = 0; i < hits.Count; i++)
        {
            ranked.Add(new FaqCandidate(hits[i].EntryId, Math.Round(Confidence(hits[i]), 4)));
        }

        var best = ranked[0];
        if (best.Score >= _options.AnswerThreshold)
        {
            return new FaqMatch(best, [], ranked);
        }
        var suggestions = ranked.Where(c => c.Score >= _options.SuggestThreshold).Take(_options.MaxSuggestions).ToList();
        return new FaqMatch(null, suggestions, ranked);
    }

    /// <summary>
    /// The idf-weighted cosine between the query and the entry's closest phrasing: 1 for the same words, and
    /// lowered by whatever either side has that the other lacks (unknown words count fully), so it is comparable
    /// across queries, unlike raw BM25. A penalty for a close runner-up was measured and left out: it moved
    /// along the same accuracy/false-answer curve without improving it.
    /// </summary>
    private static double Confidence(FaqHit hit) => Math.Clamp(hit.Similarity, 0, 1);
}
