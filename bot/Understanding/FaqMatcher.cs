using CommunityBot.Dialogs.Understanding;
using CommunityBot.Faq;
using CommunityBot.Understanding.Matching;
using CommunityBot.Understanding.Ranking;
using Microsoft.Extensions.Options;

namespace CommunityBot.Understanding;

/// <summary>
/// Turns the FAQ index's raw scores into a confidence in [0, 1] and decides: answer, suggest or nothing.
/// With <see cref="FaqMatchingOptions.Rerank"/> a learned re-ranker, trained at each rebuild from the shipped demo
/// knowledge base and the loaded one's own phrasings, orders the candidates and its probability is the confidence.
/// Thread-safe; <see cref="Reload"/> builds a new index (and re-ranker) and swaps them in atomically.
/// </summary>
public sealed class FaqMatcher
{
    private const int Candidates = 10;

    // The demo knowledge base gives every held-out phrasing as a training message; it is small (~600 phrasings).
    private const int DemoPhrasingQueries = 2000, DemoEntryQueries = 500;

    private readonly FaqMatchingOptions _options;
    private readonly SynonymDictionary _synonyms;
    private readonly Lazy<List<RerankExample>> _ownExamples;
    private volatile State _state = new(FaqIndex.Empty, null);

    public FaqMatcher(IOptions<FaqMatchingOptions> options)
        : this(options.Value)
    {
    }

    public FaqMatcher(FaqMatchingOptions options, IEnumerable<FaqEntry>? entries = null, SynonymDictionary? synonyms = null)
    {
        _options = options;
        _synonyms = synonyms ?? LoadSynonyms(options.SynonymFile);
        _ownExamples = new Lazy<List<RerankExample>>(OwnExamples);
        if (entries is not null)
        {
            Reload(entries);
        }
    }

    public FaqMatchingOptions Options => _options;

    /// <summary>How many phrasings the current index holds.</summary>
    public int PhrasingCount => _state.Index.PhrasingCount;

    /// <summary>The re-ranker in use, or null when it is off or had nothing to learn from.</summary>
    public FaqReranker? Reranker => _state.Reranker;

    /// <summary>How many words the synonym dictionary rewrites.</summary>
    public int SynonymCount => _synonyms.Count;

    /// <summary>Rebuilds the index from <paramref name="entries"/>; readers keep using the old one until the swap.</summary>
    public void Reload(IEnumerable<FaqEntry> entries)
    {
        // The old index is left to the garbage collector rather than disposed: a concurrent reader may still be in it.
        var index = FaqIndex.Build(entries, _synonyms, _options.LearnedSynonymWeight > 0, _options.LearnedSynonymMinEntries);
        _state = new State(index, _options.Rerank && index.PhrasingCount > 0 ? TrainReranker(index) : null);
    }

    /// <summary>Entry pairs of the current index that say nearly the same (see <see cref="FaqIndex.NearDuplicates"/>).</summary>
    public List<FaqDuplicate> NearDuplicates(double minSimilarity) => _state.Index.NearDuplicates(minSimilarity);

    public FaqMatch Match(string text)
    {
        var state = _state;
        var index = state.Index;
        var query = index.Prepare(text);
        var hits = index.Search(query, Candidates, (float)_options.LearnedSynonymWeight);
        if (hits.Count == 0)
        {
            return FaqMatch.None;
        }
        return state.Reranker is { } reranker ? Rerank(reranker, index, query, hits) : Blend(hits);
    }

    private FaqMatch Rerank(FaqReranker reranker, FaqIndex index, QueryText query, List<FaqHit> hits)
    {
        var features = RerankFeatures.Of(query, hits, index.TextOf);
        var blendColumn = RerankFeatures.BlendIndex;
        var scored = new List<(FaqCandidate Candidate, double Order)>(hits.Count);
        for (var i = 0; i < hits.Count; i++)
        {
            var p = reranker.Probability(features[i]);
            scored.Add((new FaqCandidate(hits[i].EntryId, Math.Round(p, 4)), _options.RerankOrder ? p : features[i][blendColumn]));
        }
        var ranked = scored.OrderByDescending(s => s.Order).Select(s => s.Candidate).ToList();
        return Decide(ranked, _options.RerankAnswerThreshold, _options.RerankSuggestThreshold, underspecified: false);
    }

    private FaqMatch Blend(List<FaqHit> hits)
    {
        var topBm25 = hits.Max(h => h.Bm25);
        var lambda = _options.RankConfidenceWeight;
        var scored = new List<(FaqCandidate Candidate, double Rank, FaqHit Hit)>(hits.Count);
        foreach (var hit in hits)
        {
            var penalty = Penalty(hit);
            // The ranking may count the entry's second-closest phrasing too (an entry that several phrasings
            // match is more likely the one meant); the confidence is the closest phrasing's alone, so it means the
            // same whether an entry has one phrasing or five.
            var closeness = hit.Similarity + _options.SecondPhrasingWeight * hit.SecondSimilarity;
            var rank = (1 - lambda) * (topBm25 > 0 ? hit.Bm25 / topBm25 : 0) + lambda * closeness - penalty;
            scored.Add((new FaqCandidate(hit.EntryId, Math.Round(Math.Clamp(Confidence(hit) - penalty, 0, 1), 4)), rank, hit));
        }
        // A stable sort: ties keep BM25's order.
        var order = scored.OrderByDescending(s => s.Rank).ToList();
        return Decide(order.Select(s => s.Candidate).ToList(), _options.AnswerThreshold, _options.SuggestThreshold, Underspecified(order[0].Hit));
    }

    /// <summary>
    /// True when the message leaves out most of what the best entry's closest phrasing says (less than
    /// <see cref="FaqMatchingOptions.MinPhrasingCoverage"/> of its weight): "在哪交钱" shares "在哪…交" with "水费在哪里缴"
    /// but not 水费, so it may as well mean the property fee. Such a message gets "您是想问", not an answer.
    /// </summary>
    private bool Underspecified(FaqHit best) => best.PhrasingCoverage < _options.MinPhrasingCoverage;

    private FaqMatch Decide(List<FaqCandidate> ranked, double answerThreshold, double suggestThreshold, bool underspecified)
    {
        var best = ranked[0];
        if (best.Score >= answerThreshold && !underspecified)
        {
            return new FaqMatch(best, [], ranked);
        }
        var suggestions = ranked.Where(c => c.Score >= suggestThreshold).Take(_options.MaxSuggestions).ToList();
        return new FaqMatch(null, suggestions, ranked);
    }

    private FaqReranker? TrainReranker(FaqIndex index)
    {
        var examples = new List<RerankExample>(_ownExamples.Value);
        examples.AddRange(RerankTraining.Collect(index, Candidates, (float)_options.LearnedSynonymWeight,
            _options.RerankMaxTrainingQueries, _options.RerankMaxUnanswerableQueries));
        return FaqReranker.Train(examples, (float)_options.RerankL2);
    }

    /// <summary>Training pairs from the project's own knowledge base (<see cref="FaqMatchingOptions.RerankTrainingFile"/>), made once.</summary>
    private List<RerankExample> OwnExamples()
    {
        var file = _options.RerankTrainingFile;
        if (string.IsNullOrWhiteSpace(file))
        {
            return [];
        }
        var path = Path.IsPathRooted(file) ? file : Path.Combine(AppContext.BaseDirectory, file);
        if (!File.Exists(path))
        {
            return [];
        }
        var entries = FaqFileFormat.Read(path);
        var learned = (float)_options.LearnedSynonymWeight;
        var index = FaqIndex.Build(entries, _synonyms, learned > 0, _options.LearnedSynonymMinEntries);
        var examples = RerankTraining.Collect(index, Candidates, learned, DemoPhrasingQueries, DemoEntryQueries);
        // Many knowledge bases have one phrasing per entry: index the main questions alone and ask the other phrasings.
        var questionsOnly = FaqIndex.Build(entries.Select(e => new FaqEntry { Id = e.Id, Question = e.Question, Answer = e.Answer, Enabled = e.Enabled }),
            _synonyms, learned > 0, _options.LearnedSynonymMinEntries);
        examples.AddRange(RerankTraining.Collect(questionsOnly, entries.Where(e => e.Enabled).SelectMany(e => e.Similar.Select(s => (s, e.Id))), Candidates, learned));
        return examples;
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

    private sealed record State(FaqIndex Index, FaqReranker? Reranker);
}
