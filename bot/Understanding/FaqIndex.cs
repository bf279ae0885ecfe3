using CommunityBot.Faq;
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

    private FaqIndex(IndexSearcher? searcher, int[] docToPhrasing, Phrasing[] phrasings, Dictionary<string, int> vocabulary, float[] idf, float unknownIdf)
    {
        _searcher = searcher;
        _docToPhrasing = docToPhrasing;
        _phrasings = phrasings;
        _vocabulary = vocabulary;
        _idf = idf;
        _unknownIdf = unknownIdf;
    }

    /// <summary>An index with nothing in it.</summary>
    public static FaqIndex Empty { get; } = new(null, [], [], [], [], 0);

    /// <summary>How many phrasings (documents) the index holds.</summary>
    public int PhrasingCount => _phrasings.Length;

    /// <summary>Indexes every phrasing of every enabled entry.</summary>
    public static FaqIndex Build(IEnumerable<FaqEntry> entries)
    {
        var texts = new List<(string EntryId, QueryText Text)>();
        foreach (var entry in entries.Where(e => e.Enabled))
        {
            foreach (var phrasing in entry.Phrasings.Distinct())
            {
                var text = QueryText.From(phrasing);
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
            phrasings[i] = new Phrasing(texts[i].EntryId, vector.Keys.ToArray(), vector.Values.ToArray(), norm);
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
        return new FaqIndex(searcher, docToPhrasing, phrasings, vocabulary, idf, unknownIdf);
    }

    /// <summary>
    /// Candidate entries for <paramref name="query"/>, best first by BM25 (the best of the entry's phrasings),
    /// each with the best idf-weighted cosine similarity of its phrasings to the query.
    /// </summary>
    public List<FaqHit> Search(QueryText query, int maxEntries, int maxDocs = 40)
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
        // Lucene refuses more than 1,024 clauses; a message that long is no FAQ question anyway.
        foreach (var word in query.Words.Distinct().Take(MaxClauses / 3))
        {
            boolean.Add(new TermQuery(new Term(WordField, word)) { Boost = 1.0f }, Occur.SHOULD);
        }
        foreach (var unit in query.Units.Distinct().Take(MaxClauses / 3))
        {
            boolean.Add(new TermQuery(new Term(CharField, unit)) { Boost = 0.5f }, Occur.SHOULD);
        }
        foreach (var bigram in query.Bigrams.Distinct().Take(MaxClauses - boolean.Clauses.Count))
        {
            boolean.Add(new TermQuery(new Term(CharField, bigram)) { Boost = 1.0f }, Occur.SHOULD);
        }
        var top = _searcher.Search(boolean, maxDocs);
        var vector = Weigh(query, _vocabulary, _idf, _unknownIdf, out var queryNorm);

        var byEntry = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var scoreDoc in top.ScoreDocs)
        {
            var p = _docToPhrasing[scoreDoc.Doc];
            var phrasing = _phrasings[p];
            var cosine = phrasing.Cosine(vector, queryNorm);
            if (byEntry.TryGetValue(phrasing.EntryId, out var at))
            {
                var hit = hits[at];
                hits[at] = hit with
                {
                    Bm25 = Math.Max(hit.Bm25, scoreDoc.Score),
                    Similarity = Math.Max(hit.Similarity, cosine),
                };
            }
            else
            {
                byEntry[phrasing.EntryId] = hits.Count;
                hits.Add(new FaqHit(phrasing.EntryId, scoreDoc.Score, cosine));
            }
        }
        if (hits.Count == 0)
        {
            return hits;
        }
        // Ranked by BM25 (entries arrive in Lucene's order): it puts the right entry first more often than the
        // cosine does (faq-open 0.844 vs 0.823); the cosine is the better-calibrated confidence.
        if (hits.Count > maxEntries)
        {
            hits.RemoveRange(maxEntries, hits.Count - maxEntries);
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

    private sealed record Phrasing(string EntryId, int[] Features, float[] Weights, float Norm)
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
    }
}

/// <summary>One candidate entry: the best BM25 score and the best cosine similarity over its phrasings.</summary>
public sealed record FaqHit(string EntryId, float Bm25, double Similarity);
