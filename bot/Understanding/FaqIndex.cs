using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using CommunityBot.Faq;
using CommunityBot.Understanding.Matching;

namespace CommunityBot.Understanding;

/// <summary>
/// An immutable in-memory index of the enabled FAQ entries. Every phrasing is a document with two BM25 fields, its
/// words and its characters plus character bigrams, searched for recall; and an idf-weighted vector over the same
/// features, for re-scoring the candidates by cosine. Safe for any number of concurrent readers; build a new one to
/// change it.
/// </summary>
/// <remarks>
/// BM25 is scored here from our own postings rather than through Lucene.Net (used up to stop 9): a Lucene boolean
/// query allocates a scorer object per clause, ~490 KiB per message at 10,000 entries, and the garbage it made was
/// the largest cost of a match. The scoring is Lucene 4.8's BM25Similarity, field lengths included (k1 1.2, b 0.75;
/// per field idf = ln(1 + (N − df + 0.5) / (df + 0.5)) with N all documents, average field length over all
/// documents, lengths as stored in one byte (<see cref="StoredLength"/>), the query term's boost as a factor, no
/// coordination or query norm), so the matcher ranks exactly as it did with Lucene.
/// </remarks>
public sealed class FaqIndex
{
    private const float K1 = 1.2f, B = 0.75f;

    // Per query term: a word at 1, a character at 0.5, a bigram at 1 (boosts and k1/b were varied on the eval sets
    // with Lucene, words 0–1, characters 0.25–1, k1 0.8–2, b 0.3–0.75: rank-1 moved by less than 0.01 either way).
    private const float WordBoost = 1.0f, UnitBoost = 0.5f, BigramBoost = 1.0f;

    // At most this many distinct words, characters and terms in all are searched for: a message that long is no FAQ
    // question anyway, and the bound keeps its cost bounded.
    private const int MaxWords = 250, MaxUnits = 250, MaxTerms = 1000;

    /// <summary>
    /// The default lowest similarity of <see cref="NearDuplicates"/> (CLI and console), chosen on faq-open's knowledge base
    /// (eval/README.md, "Near-duplicate entries"): at 0.8 nearly every pair listed
    /// is the same question; below it, pairs that differ in one word of substance start to appear.
    /// </summary>
    public const double DuplicateSimilarity = 0.8;

    private readonly Vocabulary _vocabulary;
    private readonly Phrasing[] _phrasings;
    private readonly float[] _idf;
    private readonly float _unknownIdf;
    private readonly Postings _postings;
    private readonly SynonymDictionary _synonyms;
    private readonly LearnedSynonyms _learned;
    private readonly Dictionary<string, int[]> _entryPhrasings;

    // Searches borrow a working space and give it back, so there are only as many as searches ever ran at once
    // (about the number of cores: a search never waits), and they go with the index when it is replaced.
    private readonly ConcurrentBag<Scratch> _scratches = [];

    private FaqIndex(Vocabulary vocabulary, Phrasing[] phrasings, float[] idf, float unknownIdf, Postings postings,
        SynonymDictionary synonyms, LearnedSynonyms learned)
    {
        _vocabulary = vocabulary;
        _phrasings = phrasings;
        _idf = idf;
        _unknownIdf = unknownIdf;
        _postings = postings;
        _synonyms = synonyms;
        _learned = learned;
        _entryPhrasings = phrasings.Select((p, i) => (p.EntryId, i)).GroupBy(x => x.EntryId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(x => x.i).ToArray(), StringComparer.Ordinal);
    }

    /// <summary>An index with nothing in it.</summary>
    public static FaqIndex Empty { get; } = new(new Vocabulary(), [], [], 0, Postings.Empty, SynonymDictionary.Empty, LearnedSynonyms.Empty);

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
        var texts = new List<(string EntryId, QueryText Text, string Source)>();
        foreach (var entry in entries.Where(e => e.Enabled))
        {
            foreach (var phrasing in entry.Phrasings.Distinct())
            {
                var text = QueryText.From(synonyms.Rewrite(ChineseTokenizer.Normalize(phrasing)));
                if (text.Units.Count > 0)
                {
                    texts.Add((entry.Id, text, phrasing));
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

        // Every phrasing's features with their counts; document frequencies over phrasings.
        var vocabulary = new Vocabulary();
        var counted = new List<(int Id, int Count)[]>(texts.Count);
        var df = new List<int>();
        foreach (var (_, text, _) in texts)
        {
            var counts = new Dictionary<int, int>();
            foreach (var (kind, term) in text.Terms())
            {
                var id = vocabulary.Add(kind, term);
                if (id == df.Count)
                {
                    df.Add(0);
                }
                counts[id] = counts.GetValueOrDefault(id) + 1;
            }
            foreach (var id in counts.Keys)
            {
                df[id]++;
            }
            counted.Add(counts.Select(c => (c.Key, c.Value)).OrderBy(c => c.Key).ToArray());
        }
        var n = texts.Count;
        var idf = df.Select(d => (float)Math.Log((n + 1.0) / (d + 0.5))).ToArray();
        var unknownIdf = (float)Math.Log((n + 1.0) / 0.5);

        var phrasings = new Phrasing[n];
        for (var i = 0; i < n; i++)
        {
            var features = counted[i];
            var weights = new float[features.Length];
            double squares = 0;
            for (var f = 0; f < features.Length; f++)
            {
                var (id, count) = features[f];
                weights[f] = Weight(vocabulary.KindOf(id), count, idf[id]);
                squares += weights[f] * weights[f];
            }
            var text = texts[i].Text;
            phrasings[i] = new Phrasing(texts[i].EntryId, texts[i].Source, text, features.Select(f => f.Id).ToArray(), weights, (float)Math.Sqrt(squares),
                Mismatch.IsNegated(text.Words), Mismatch.Numbers(string.Concat(text.Words)));
        }
        var postings = Postings.Build(counted, df, vocabulary, texts.Select(t => (t.Text.Words.Count, t.Text.Units.Count + t.Text.Bigrams.Count)).ToArray());
        return new FaqIndex(vocabulary, phrasings, idf, unknownIdf, postings, synonyms, learned);
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
        if (_phrasings.Length == 0 || query.Units.Count == 0)
        {
            return hits;
        }
        if (excludeEntry is not null)
        {
            maxDocs += PhrasingCountOf(excludeEntry);
        }
        else if (excludePhrasing >= 0)
        {
            maxDocs++;
        }
        if (!_scratches.TryTake(out var scratch))
        {
            scratch = new Scratch(_phrasings.Length, _idf.Length);
        }
        try
        {
            var queryNorm = WeighQuery(query, scratch);
            SelectTerms(query, learnedWeight, scratch);
            var top = _postings.Top(scratch, maxDocs);
            var negated = Mismatch.IsNegated(query.Words);
            var numbers = Mismatch.Numbers(string.Concat(query.Words));

            var byEntry = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (doc, score) in top)
            {
                var entryId = _phrasings[doc].EntryId;
                if (doc == excludePhrasing || (excludeEntry is not null && entryId == excludeEntry) || !byEntry.Add(entryId))
                {
                    continue; // best first, so the entry already has its best BM25
                }
                // Every phrasing of the entry is compared, not only those among the top documents.
                double best = -1, second = 0;
                var bestAt = -1;
                foreach (var p in _entryPhrasings[entryId])
                {
                    if (p == excludePhrasing)
                    {
                        continue;
                    }
                    var cosine = Math.Min(1, _phrasings[p].Cosine(scratch.Vector, queryNorm));
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
                hits.Add(new FaqHit(entryId, score, best, second, negated != phrasing.Negated, numberMismatch, bestAt,
                    phrasing.Coverage(scratch.Vector)));
                if (hits.Count == maxEntries)
                {
                    break;
                }
            }
            return hits;
        }
        finally
        {
            scratch.Clear();
            _scratches.Add(scratch);
        }
    }

    /// <summary>
    /// Pairs of entries with a phrasing each that say nearly the same (idf-weighted cosine ≥ <paramref name="minSimilarity"/>,
    /// same negation, same numbers), most similar first. A resident asking either gets whichever the matcher happens
    /// to rank first, so the office should merge them (one becomes a phrasing of the other). One search per phrasing.
    /// </summary>
    public List<FaqDuplicate> NearDuplicates(double minSimilarity)
    {
        var pairs = new Dictionary<(string, string), FaqDuplicate>();
        for (var p = 0; p < _phrasings.Length; p++)
        {
            var entryId = _phrasings[p].EntryId;
            foreach (var hit in Search(_phrasings[p].Text, maxEntries: 5, excludeEntry: entryId))
            {
                if (hit.Similarity < minSimilarity || hit.NegationMismatch || hit.NumberMismatch)
                {
                    continue;
                }
                var (a, b) = string.CompareOrdinal(entryId, hit.EntryId) < 0 ? (p, hit.Closest) : (hit.Closest, p);
                var key = (_phrasings[a].EntryId, _phrasings[b].EntryId);
                if (!pairs.TryGetValue(key, out var known) || known.Similarity < hit.Similarity)
                {
                    pairs[key] = new FaqDuplicate(key.Item1, _phrasings[a].Source, key.Item2, _phrasings[b].Source, Math.Round(hit.Similarity, 3));
                }
            }
        }
        return pairs.Values.OrderByDescending(d => d.Similarity).ThenBy(d => d.EntryA, StringComparer.Ordinal)
            .ThenBy(d => d.EntryB, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Writes the query's idf-weighted vector into <paramref name="scratch"/> (known features only) and returns its
    /// norm, which counts the features no phrasing has too: unknown content lowers the similarity.
    /// </summary>
    private float WeighQuery(QueryText query, Scratch scratch)
    {
        foreach (var (kind, term) in query.Terms())
        {
            var id = _vocabulary.Find(kind, term);
            if (id >= 0)
            {
                if (scratch.Counts[id]++ == 0)
                {
                    scratch.Features.Add(id);
                }
            }
            else
            {
                scratch.Unknown[(kind, term)] = scratch.Unknown.GetValueOrDefault((kind, term)) + 1;
            }
        }
        double squares = 0;
        foreach (var id in scratch.Features)
        {
            var weight = Weight(_vocabulary.KindOf(id), scratch.Counts[id], _idf[id]);
            scratch.Vector[id] = weight;
            squares += weight * weight;
        }
        foreach (var ((kind, _), count) in scratch.Unknown)
        {
            var weight = Weight(kind, count, _unknownIdf);
            squares += weight * weight;
        }
        return (float)Math.Sqrt(squares);
    }

    /// <summary>
    /// The BM25 query: the distinct words, characters and bigrams (bounded, see <see cref="MaxTerms"/>) and the
    /// words' learned synonyms, which also join the cosine vector (without adding to its norm: another way to match
    /// a word the query already has, not more content).
    /// </summary>
    private void SelectTerms(QueryText query, float learnedWeight, Scratch scratch)
    {
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        var words = new List<string>();
        foreach (var word in query.Words)
        {
            if (words.Count < MaxWords && distinct.Add(word))
            {
                words.Add(word);
                Add(TermKind.Word, word, WordBoost);
            }
        }
        var terms = words.Count;
        if (learnedWeight > 0)
        {
            foreach (var word in words)
            {
                foreach (var (synonym, weight) in _learned.Of(word))
                {
                    if (words.Contains(synonym))
                    {
                        continue;
                    }
                    terms++;
                    var id = _vocabulary.Find(TermKind.Word, synonym);
                    if (id >= 0)
                    {
                        scratch.Terms.Add((id, learnedWeight * weight));
                        if (scratch.Vector[id] == 0)
                        {
                            scratch.Vector[id] = learnedWeight * weight * QueryText.WordWeight * _idf[id];
                            scratch.Features.Add(id);
                        }
                    }
                }
            }
        }
        distinct.Clear();
        var units = 0;
        foreach (var unit in query.Units)
        {
            if (units < MaxUnits && distinct.Add(unit))
            {
                units++;
                terms++;
                Add(TermKind.Unit, unit, UnitBoost);
            }
        }
        distinct.Clear();
        foreach (var bigram in query.Bigrams)
        {
            if (terms < MaxTerms && distinct.Add(bigram))
            {
                terms++;
                Add(TermKind.Bigram, bigram, BigramBoost);
            }
        }

        void Add(TermKind kind, string term, float boost)
        {
            var id = _vocabulary.Find(kind, term);
            if (id >= 0)
            {
                scratch.Terms.Add((id, boost));
            }
        }
    }

    /// <summary>
    /// A field length as Lucene 4.8 stores and reads it back: 1/√length in one byte, a float cut to 3 mantissa
    /// bits and 5 exponent bits with the exponent's zero at 15 (its SmallFloat "315" format), then 1/value², so
    /// 1 → 1, 2 → 2.56, 3 and 4 → 4, 5 → 5.22, 8 and 10 → 10.24, 30 and 40 → 40.96. Kept so that the
    /// ranking is the one measured with Lucene (identical output on all 7,741 queries of the three eval sets);
    /// exact lengths moved faq-open rank-1 +0.004 and faq-curated −0.006, i.e. nothing.
    /// </summary>
    public static float StoredLength(int length)
    {
        if (length <= 0)
        {
            return 0;
        }
        var bits = BitConverter.SingleToInt32Bits(1f / MathF.Sqrt(length));
        const int zero = (63 - 15) << 3; // the byte's exponent 0 is the float's biased exponent 48 (= 63 − 15)
        var small = (bits >> 21) - zero;   // the float's exponent and top 3 mantissa bits, rebased
        var stored = Math.Clamp(small, 1, 255);
        var value = BitConverter.Int32BitsToSingle((stored + zero) << 21);
        return 1f / (value * value);
    }

    private static float Weight(TermKind kind, int count, float idf) => kind switch
    {
        TermKind.Word => QueryText.WordWeight,
        TermKind.Unit => QueryText.UnitWeight,
        _ => QueryText.BigramWeight,
    } * (1 + MathF.Log(count)) * idf;

    private sealed record Phrasing(string EntryId, string Source, QueryText Text, int[] Features, float[] Weights, float Norm, bool Negated, HashSet<long> Numbers)
    {
        /// <summary>Cosine with the query's dense vector (zero where the query lacks a feature).</summary>
        public double Cosine(float[] query, float queryNorm)
        {
            if (queryNorm == 0 || Norm == 0)
            {
                return 0;
            }
            double dot = 0;
            for (var i = 0; i < Features.Length; i++)
            {
                dot += query[Features[i]] * Weights[i];
            }
            return dot / (queryNorm * Norm);
        }

        /// <summary>The share of this phrasing's weight (its words, characters and bigrams, idf-weighted) that the query has too.</summary>
        public double Coverage(float[] query)
        {
            double covered = 0, total = 0;
            for (var i = 0; i < Features.Length; i++)
            {
                total += Weights[i];
                if (query[Features[i]] != 0)
                {
                    covered += Weights[i];
                }
            }
            return total > 0 ? covered / total : 0;
        }
    }

    /// <summary>Feature ids by kind and text; a word, a character and a bigram with the same text are different features.</summary>
    private sealed class Vocabulary
    {
        private readonly Dictionary<string, int>[] _ids =
            [new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal)];
        private readonly List<TermKind> _kinds = [];

        public int Count => _kinds.Count;

        public int Add(TermKind kind, string term)
        {
            if (!_ids[(int)kind].TryGetValue(term, out var id))
            {
                _ids[(int)kind][term] = id = _kinds.Count;
                _kinds.Add(kind);
            }
            return id;
        }

        public int Find(TermKind kind, string term) => _ids[(int)kind].TryGetValue(term, out var id) ? id : -1;

        public TermKind KindOf(int id) => _kinds[id];
    }

    /// <summary>
    /// Postings per feature (phrasings in ascending order with the feature's count in each) and each phrasing's
    /// length normaliser per BM25 field: words in one field, characters and bigrams in the other.
    /// </summary>
    private sealed class Postings
    {
        private readonly int[] _start; // feature id → first posting; _start[id + 1] ends it
        private readonly int[] _docs;
        private readonly byte[] _counts;
        private readonly float[] _bm25Idf;
        private readonly bool[] _isWord;
        private readonly float[] _wordNorm, _charNorm; // k1 · (1 − b + b · length / average length)

        private Postings(int[] start, int[] docs, byte[] counts, float[] bm25Idf, bool[] isWord, float[] wordNorm, float[] charNorm)
        {
            _start = start;
            _docs = docs;
            _counts = counts;
            _bm25Idf = bm25Idf;
            _isWord = isWord;
            _wordNorm = wordNorm;
            _charNorm = charNorm;
        }

        public static Postings Empty { get; } = new([0], [], [], [], [], [], []);

        public static Postings Build(List<(int Id, int Count)[]> counted, List<int> df, Vocabulary vocabulary, (int Words, int Chars)[] lengths)
        {
            var n = counted.Count;
            var start = new int[df.Count + 1];
            for (var id = 0; id < df.Count; id++)
            {
                start[id + 1] = start[id] + df[id];
            }
            var docs = new int[start[^1]];
            var counts = new byte[start[^1]];
            var next = start[..^1].ToArray();
            for (var doc = 0; doc < n; doc++)
            {
                foreach (var (id, count) in counted[doc])
                {
                    docs[next[id]] = doc;
                    counts[next[id]++] = (byte)Math.Min(count, byte.MaxValue);
                }
            }
            var bm25Idf = df.Select(d => (float)Math.Log(1 + (n - d + 0.5) / (d + 0.5))).ToArray();
            var isWord = Enumerable.Range(0, df.Count).Select(id => vocabulary.KindOf(id) == TermKind.Word).ToArray();
            return new Postings(start, docs, counts, bm25Idf, isWord,
                Norms(lengths.Select(l => l.Words).ToArray()), Norms(lengths.Select(l => l.Chars).ToArray()));
        }

        private static float[] Norms(int[] lengths)
        {
            var average = Math.Max(lengths.Average(), 1e-9);
            return lengths.Select(l => (float)(K1 * (1 - B + B * StoredLength(l) / average))).ToArray();
        }

        /// <summary>The <paramref name="k"/> best-scoring phrasings for the scratch's terms, best first; ties go to the lower number.</summary>
        public List<(int Doc, float Score)> Top(Scratch scratch, int k)
        {
            var scores = scratch.Scores;
            var touched = scratch.Touched;
            foreach (var (id, boost) in scratch.Terms)
            {
                var weight = boost * _bm25Idf[id];
                var norm = _isWord[id] ? _wordNorm : _charNorm;
                for (var i = _start[id]; i < _start[id + 1]; i++)
                {
                    var doc = _docs[i];
                    float count = _counts[i];
                    if (scores[doc] == 0)
                    {
                        touched.Add(doc);
                    }
                    scores[doc] += weight * count * (K1 + 1) / (count + norm[doc]);
                }
            }
            return TopOf(touched, scores, k);
        }

        private static List<(int Doc, float Score)> TopOf(List<int> docs, float[] scores, int k)
        {
            // A min-heap of the k best so far; its root is the worst of them (lowest score, then highest number), so
            // most documents are turned away by one comparison with the root.
            var heap = new int[Math.Min(k, docs.Count)];
            var size = 0;
            foreach (var doc in CollectionsMarshal.AsSpan(docs))
            {
                if (size < heap.Length)
                {
                    heap[size] = doc;
                    SiftUp(heap, size++, scores);
                }
                else if (Better(doc, heap[0], scores))
                {
                    heap[0] = doc;
                    SiftDown(heap, 0, scores);
                }
            }
            var top = heap.Select(d => (d, scores[d])).ToList();
            top.Sort((x, y) => Better(x.d, y.d, scores) ? -1 : Better(y.d, x.d, scores) ? 1 : 0);
            return top;
        }

        private static bool Better(int a, int b, float[] scores) => scores[a] > scores[b] || (scores[a] == scores[b] && a < b);

        private static void SiftUp(int[] heap, int i, float[] scores)
        {
            while (i > 0 && Better(heap[(i - 1) / 2], heap[i], scores))
            {
                (heap[i], heap[(i - 1) / 2]) = (heap[(i - 1) / 2], heap[i]);
                i = (i - 1) / 2;
            }
        }

        private static void SiftDown(int[] heap, int i, float[] scores)
        {
            while (true)
            {
                var worst = i;
                var left = 2 * i + 1;
                if (left < heap.Length && Better(heap[worst], heap[left], scores))
                {
                    worst = left;
                }
                if (left + 1 < heap.Length && Better(heap[worst], heap[left + 1], scores))
                {
                    worst = left + 1;
                }
                if (worst == i)
                {
                    return;
                }
                (heap[i], heap[worst]) = (heap[worst], heap[i]);
                i = worst;
            }
        }
    }

    /// <summary>
    /// Working space for one search, sized to this index and all-zero between searches, so a search allocates
    /// almost nothing. The index keeps as many as searches have run at once (see <see cref="_scratches"/>).
    /// </summary>
    private sealed class Scratch(int phrasings, int features)
    {
        public readonly float[] Scores = new float[phrasings];  // phrasing → BM25 so far
        public readonly float[] Vector = new float[features];   // feature → the query's weight
        public readonly int[] Counts = new int[features];       // feature → occurrences in the query
        public readonly List<int> Touched = [];
        public readonly List<int> Features = [];
        public readonly List<(int Id, float Boost)> Terms = [];
        public readonly Dictionary<(TermKind, string), int> Unknown = [];

        public void Clear()
        {
            foreach (var doc in Touched)
            {
                Scores[doc] = 0;
            }
            foreach (var id in Features)
            {
                Vector[id] = 0;
                Counts[id] = 0;
            }
            Touched.Clear();
            Features.Clear();
            Terms.Clear();
            Unknown.Clear();
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

/// <summary>
/// Two entries with a phrasing each (as written in the knowledge base) that say nearly the same; <see cref="EntryA"/>
/// sorts before <see cref="EntryB"/>.
/// </summary>
public sealed record FaqDuplicate(string EntryA, string PhrasingA, string EntryB, string PhrasingB, double Similarity);

