using CommunityBot.Faq;
using CommunityBot.Understanding.Matching;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace CommunityBot.Understanding;

/// <summary>
/// An immutable in-memory index of the enabled FAQ entries: every phrasing is its own Lucene document
/// (words and character uni/bigrams, BM25) for recall, plus an idf-weighted vector per phrasing for
/// re-scoring the candidates. Safe for any number of concurrent readers; build a new one to change it.
/// </summary>
public sealed class FaqIndex
{
    private const string IdField = "id";
    private const string WordField = "w";
    private const string CharField = "c";
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;
    private const int MaxClauses = 1000;

    private readonly IndexSearcher? _searcher;
    private readonly int[] _docToPhrasing;
    private readonly Phrasing[] _phrasings;
    private readonly Dictionary<string, int> _vocabulary;
    private readonly float[] _idf;
    private readonly float _unknownIdf;
    private readonly SynonymDictionary _synonyms;
    private readonly LearnedSynonyms _learned;
    private readonly Dictionary<string, int[]> _entryPhrasings;

    private FaqIndex(IndexSearcher? searcher, int[] docToPhrasing, Phrasing[] phrasings, Dictionary<string, int> vocabulary, float[] idf,
        float unknownIdf, SynonymDictionary synonyms, LearnedSynonyms learned)
    {
        _searcher = searcher;
        _docToPhrasing = docToPhrasing;
        _phrasings = phrasings;
        _vocabulary = vocabulary;
        _idf = idf;
        _unknownIdf = unknownIdf;
        _synonyms = synonyms;
        _learned = learned;
        _entryPhrasings = phrasings.Select((p, i) => (p.EntryId, i)).GroupBy(x => x.EntryId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(x => x.i).ToArray(), StringComparer.Ordinal);
    }

    /// <summary>An index with nothing in it.</summary>
    public static FaqIndex Empty { get; } = new(null, [], [], [], [], 0, SynonymDictionary.Empty, LearnedSynonyms.Empty);

    /// <summary>Synonyms learned from the entries' own phrasings when the index was built.</summary>
    public LearnedSynonyms Learned => _learned;

    /// <summary>The message as the index sees it: normalised, dictionary synonyms rewritten, cut into features.</summary>
    public QueryText Prepare(string text) => QueryText.From(_synonyms.Rewrite(ChineseTokenizer.Normalize(text)));

    /// <summary>How many phrasings (documents) the index holds.</summary>
    public int PhrasingCount => _phrasings.Length;

    /// <summary>The entry that phrasing number <paramref name="phrasing"/> belongs to.</summary>
    public string EntryOf(int phrasing) => _phrasings[phrasing].EntryId;

    /// <summary>Phrasing number <paramref name="phrasing"/> as the index holds it (normalised, synonyms rewritten).</summary>
    public QueryText TextOf(int phrasing) => _phrasings[phrasing].Text;

    /// <summary>How many phrasings entry <paramref name="entryId"/> has in the index.</summary>
    public int PhrasingCountOf(string entryId) => _entryPhrasings.TryGetValue(entryId, out var p) ? p.Length : 0;

    /// <summary>Indexes every phrasing of every enabled entry.</summary>
    public static FaqIndex Build(IEnumerable<FaqEntry> entries, SynonymDictionary? synonyms = null, bool learnSynonyms = true, int learnedMinEntries = 2)
    {
        synonyms ??= SynonymDictionary.Empty;
        var texts = new List<(string EntryId, QueryText Text)>();
        foreach (var entry in entries.Where(e => e.Enabled))
        {
            foreach (var phrasing in entry.Phrasings.Distinct())
            {
                var text = QueryText.From(synonyms.Rewrite(ChineseTokenizer.Normalize(phrasing)));
                if (text.Units.Count > 0)
                {
                    texts.Add((entry.Id, text));
                }
            }
        }
        if (texts.Count == 0)
        {
            return Empty;
        }
        var learned = learnSynonyms
            ? LearnedSynonyms.Learn(texts.GroupBy(t => t.EntryId, StringComparer.Ordinal).Select(g => (IReadOnlyList<IReadOnlyList<string>>)g.Select(t => t.Text.Words).ToList()), learnedMinEntries)
            : LearnedSynonyms.Empty;

        // Document frequencies over phrasings, for the re-scoring vectors.
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        var df = new List<int>();
        foreach (var (_, text) in texts)
        {
            foreach (var feature in text.Features().Select(f => f.Key).Distinct())
            {
                if (!vocabulary.TryGetValue(feature, out var id))
                {
                    vocabulary[feature] = id = vocabulary.Count;
                    df.Add(0);
                }
                df[id]++;
            }
        }
        var n = texts.Count;
        var idf = df.Select(d => (float)Math.Log((n + 1.0) / (d + 0.5))).ToArray();
        var unknownIdf = (float)Math.Log((n + 1.0) / 0.5);

        var phrasings = new Phrasing[texts.Count];
        for (var i = 0; i < texts.Count; i++)
        {
            var vector = Weigh(texts[i].Text, vocabulary, idf, unknownIdf, out var norm);
            var text = texts[i].Text;
            phrasings[i] = new Phrasing(texts[i].EntryId, text, vector.Keys.ToArray(), vector.Values.ToArray(), norm,
                Mismatch.IsNegated(text.Words), Mismatch.Numbers(string.Concat(text.Words)));
        }

        var directory = new RAMDirectory();
        var config = new IndexWriterConfig(Version, new WhitespaceAnalyzer(Version))
        {
            Similarity = new BM25Similarity(),
            OpenMode = OpenMode.CREATE,
            RAMBufferSizeMB = 64,
        };
        using (var writer = new IndexWriter(directory, config))
        {
            for (var i = 0; i < texts.Count; i++)
            {
                var text = texts[i].Text;
                writer.AddDocument(new Document
                {
                    new StringField(IdField, texts[i].EntryId, Field.Store.NO),
                    new NumericDocValuesField("p", i),
                    new TextField(WordField, string.Join(' ', text.Words), Field.Store.NO),
                    new TextField(CharField, string.Join(' ', text.Units.Concat(text.Bigrams)), Field.Store.NO),
                });
            }
            writer.Commit();
        }
        var reader = DirectoryReader.Open(directory);
        var docToPhrasing = new int[reader.MaxDoc];
        foreach (var leaf in reader.Leaves)
        {
            var values = leaf.AtomicReader.GetNumericDocValues("p");
            for (var d = 0; d < leaf.AtomicReader.MaxDoc; d++)
            {
                docToPhrasing[leaf.DocBase + d] = (int)values.Get(d);
            }
        }
        var searcher = new IndexSearcher(reader) { Similarity = new BM25Similarity() };
        return new FaqIndex(searcher, docToPhrasing, phrasings, vocabulary, idf, unknownIdf, synonyms, learned);
    }

    /// <summary>
    /// Candidate entries for <paramref name="query"/>, best first by BM25 (the best of the entry's phrasings),
    /// each with the idf-weighted cosine similarity of its closest and second-closest phrasings to the query and
    /// whether the closest one differs from the query in negation or in the numbers it names. Query words are also
    /// looked for under their learned synonyms, at <paramref name="learnedWeight"/> times their own weight.
    /// <paramref name="excludePhrasing"/> and <paramref name="excludeEntry"/> leave a phrasing or a whole entry out,
    /// as if the index did not hold it: the re-ranker's training queries its own phrasings this way.
    /// </summary>
    public List<FaqHit> Search(QueryText query, int maxEntries, float learnedWeight = 0, int maxDocs = 40,
        int excludePhrasing = -1, string? excludeEntry = null)
    {
        var hits = new List<FaqHit>();
        if (_searcher is null || query.Units.Count == 0)
        {
            return hits;
        }
        // Boosts and BM25's k1/b were varied on the eval sets (words 0–1, characters 0.25–1, k1 0.8–2, b 0.3–0.75):
        // rank-1 accuracy moved by less than 0.01 either way, so the defaults stay. Leaving single characters out of
        // the Lucene query halves p50 latency at 10,000 entries (0.5 → 0.26 ms) but costs 0.01 rank-1; they stay.
        var boolean = new BooleanQuery(disableCoord: true);
        var words = query.Words.Distinct().Take(MaxClauses / 4).ToList();
        // Lucene refuses more than 1,024 clauses; a message that long is no FAQ question anyway.
        foreach (var word in words)
        {
            boolean.Add(new TermQuery(new Term(WordField, word)) { Boost = 1.0f }, Occur.SHOULD);
        }
        var expansions = new List<(string Word, float Weight)>();
        if (learnedWeight > 0)
        {
            foreach (var word in words)
            {
                foreach (var (synonym, weight) in _learned.Of(word))
                {
                    if (!words.Contains(synonym))
                    {
                        expansions.Add((synonym, learnedWeight * weight));
                        boolean.Add(new TermQuery(new Term(WordField, synonym)) { Boost = learnedWeight * weight }, Occur.SHOULD);
                    }
                }
            }
        }
        foreach (var unit in query.Units.Distinct().Take(MaxClauses / 4))
        {
            boolean.Add(new TermQuery(new Term(CharField, unit)) { Boost = 0.5f }, Occur.SHOULD);
        }
        foreach (var bigram in query.Bigrams.Distinct().Take(MaxClauses - boolean.Clauses.Count))
        {
            boolean.Add(new TermQuery(new Term(CharField, bigram)) { Boost = 1.0f }, Occur.SHOULD);
        }
        if (excludeEntry is not null)
        {
            maxDocs += PhrasingCountOf(excludeEntry);
        }
        else if (excludePhrasing >= 0)
        {
            maxDocs++;
        }
        var top = _searcher.Search(boolean, maxDocs);
        var vector = Weigh(query, _vocabulary, _idf, _unknownIdf, out var queryNorm);
        foreach (var (synonym, weight) in expansions)
        {
            // A synonym adds to the dot product but not to the query's norm: it is another way to match a word
            // the query already has, not more content.
            if (_vocabulary.TryGetValue("w:" + synonym, out var id) && !vector.ContainsKey(id))
            {
                vector[id] = weight * QueryText.WordWeight * _idf[id];
            }
        }
        var negated = Mismatch.IsNegated(query.Words);
        var numbers = Mismatch.Numbers(string.Concat(query.Words));

        var byEntry = new HashSet<string>(StringComparer.Ordinal);
        foreach (var scoreDoc in top.ScoreDocs)
        {
            var docPhrasing = _docToPhrasing[scoreDoc.Doc];
            var entryId = _phrasings[docPhrasing].EntryId;
            if (docPhrasing == excludePhrasing || (excludeEntry is not null && entryId == excludeEntry) || !byEntry.Add(entryId))
            {
                continue; // Lucene's order is best first, so the entry already has its best BM25
            }
            // Every phrasing of the entry is compared, not only those in Lucene's top documents.
            double best = -1, second = 0;
            var bestAt = -1;
            foreach (var p in _entryPhrasings[entryId])
            {
                if (p == excludePhrasing)
                {
                    continue;
                }
                var cosine = Math.Min(1, _phrasings[p].Cosine(vector, queryNorm));
                if (cosine > best)
                {
                    second = Math.Max(second, best);
                    best = cosine;
                    bestAt = p;
                }
                else if (cosine > second)
                {
                    second = cosine;
                }
            }
            var phrasing = _phrasings[bestAt];
            var numberMismatch = numbers.Count > 0 && phrasing.Numbers.Count > 0 && !numbers.SetEquals(phrasing.Numbers);
            hits.Add(new FaqHit(entryId, scoreDoc.Score, best, second, negated != phrasing.Negated, numberMismatch, bestAt,
                phrasing.Coverage(vector)));
            if (hits.Count == maxEntries)
            {
                break;
            }
        }
        return hits;
    }

    private static Dictionary<int, float> Weigh(QueryText text, Dictionary<string, int> vocabulary, float[] idf, float unknownIdf, out float norm)
    {
        var counts = new Dictionary<string, (int Count, float TypeWeight)>(StringComparer.Ordinal);
        foreach (var (feature, typeWeight) in text.Features())
        {
            counts[feature] = (counts.GetValueOrDefault(feature).Count + 1, typeWeight);
        }
        var vector = new Dictionary<int, float>(counts.Count);
        double squares = 0;
        foreach (var (feature, (count, typeWeight)) in counts)
        {
            var known = vocabulary.TryGetValue(feature, out var id);
            // A feature no phrasing has still counts in the query's norm: unknown content lowers the similarity.
            var weight = typeWeight * (1 + MathF.Log(count)) * (known ? idf[id] : unknownIdf);
            squares += weight * weight;
            if (known)
            {
                vector[id] = weight;
            }
        }
        norm = (float)Math.Sqrt(squares);
        return vector;
    }

    private sealed record Phrasing(string EntryId, QueryText Text, int[] Features, float[] Weights, float Norm, bool Negated, HashSet<long> Numbers)
    {
        public double Cosine(Dictionary<int, float> query, float queryNorm)
        {
            if (queryNorm == 0 || Norm == 0)
            {
                return 0;
            }
            double dot = 0;
            for (var i = 0; i < Features.Length; i++)
            {
                if (query.TryGetValue(Features[i], out var q))
                {
                    dot += q * Weights[i];
                }
            }
            return dot / (queryNorm * Norm);
        }

        /// <summary>The share of this phrasing's weight (its words, characters and bigrams, idf-weighted) that the query has too.</summary>
        public double Coverage(Dictionary<int, float> query)
        {
            double covered = 0, total = 0;
            for (var i = 0; i < Features.Length; i++)
            {
                total += Weights[i];
                if (query.ContainsKey(Features[i]))
                {
                    covered += Weights[i];
                }
            }
            return total > 0 ? covered / total : 0;
        }
    }
}

/// <summary>
/// One candidate entry: the best BM25 score over its phrasings, the cosine similarity of its closest and
/// second-closest phrasings, and whether the closest one differs from the message in negation or in numbers;
/// <see cref="Closest"/> is the closest phrasing's number in the index (see <see cref="FaqIndex.TextOf"/>);
/// <see cref="PhrasingCoverage"/> is the share of the closest phrasing's idf weight that the message has too (1 = the
/// message says everything the phrasing says, whatever else it says).
/// </summary>
public sealed record FaqHit(string EntryId, float Bm25, double Similarity, double SecondSimilarity = 0, bool NegationMismatch = false,
    bool NumberMismatch = false, int Closest = -1, double PhrasingCoverage = 1);
