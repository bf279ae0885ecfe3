namespace CommunityBot.Understanding.Ranking;

/// <summary>
/// The pairwise features the FAQ re-ranker scores a (message, candidate entry) pair on: the retrieval scores and
/// their margins over the other candidates, and string similarities between the message and the entry's closest
/// phrasing (character and bigram overlap both ways, word overlap after synonym rewriting, common substring and
/// subsequence, edit distance, length), negation and number mismatches, and whether both ask the same kind of
/// question (怎么 / 多少 / 哪里 / 能不能 / 为什么 / 什么时候 / 谁 / 什么).
/// </summary>
public static class RerankFeatures
{
    /// <summary>Bump when a feature is added, removed or changes meaning.</summary>
    public const int Version = 1;

    /// <summary>Names of the features, in vector order (for reports and tests).</summary>
    public static readonly string[] Names =
    [
        "bm25Rel", "bm25RankRecip", "bm25Gap", "cosine", "secondCosine", "cosineGap", "cosineRankRecip",
        "unitJaccard", "bigramJaccard", "unitInPhrasing", "unitInQuery", "bigramInPhrasing", "bigramInQuery", "wordJaccard",
        "substringOfQuery", "substringOfPhrasing", "subsequenceRatio", "editSimilarity", "lengthRatio",
        "negationMismatch", "numberMismatch", "questionAgree", "questionConflict", "queryLength",
        "blend", "blendGap", "blendRankRecip",
    ];

    public static int Count => Names.Length;

    /// <summary>Where the hand-tuned blend score sits in the vector.</summary>
    public static int BlendIndex { get; } = Array.IndexOf(Names, "blend");

    /// <summary>Feature vectors of every hit, in the hits' order (which is BM25's).</summary>
    public static float[][] Of(QueryText query, IReadOnlyList<FaqHit> hits, Func<int, QueryText> phrasingText)
    {
        var vectors = new float[hits.Count][];
        if (hits.Count == 0)
        {
            return vectors;
        }
        var topBm25 = 0f;
        foreach (var h in hits)
        {
            topBm25 = Math.Max(topBm25, h.Bm25);
        }
        // Best and second-best of each score over the candidates, for each candidate's margin over the others.
        double bm25First = -1, bm25Second = -1, cosFirst = -1, cosSecond = -1;
        foreach (var h in hits)
        {
            var rel = topBm25 > 0 ? h.Bm25 / topBm25 : 0;
            Top2(rel, ref bm25First, ref bm25Second);
            Top2(h.Similarity, ref cosFirst, ref cosSecond);
        }
        // The hand-tuned ranking score (FaqMatcher's blend at its shipped defaults: half relative BM25, half the two
        // closest phrasings' cosines, minus 0.2 per mismatch) as a feature, so the model starts from what already works.
        var blend = new double[hits.Count];
        double blendFirst = double.MinValue, blendSecond = double.MinValue;
        for (var i = 0; i < hits.Count; i++)
        {
            var h = hits[i];
            blend[i] = 0.5 * (topBm25 > 0 ? h.Bm25 / topBm25 : 0) + 0.5 * (h.Similarity + h.SecondSimilarity)
                - (h.NegationMismatch ? 0.2 : 0) - (h.NumberMismatch ? 0.2 : 0);
            Top2(blend[i], ref blendFirst, ref blendSecond);
        }
        var q = new Side(query);
        for (var i = 0; i < hits.Count; i++)
        {
            var hit = hits[i];
            var p = new Side(hit.Closest >= 0 ? phrasingText(hit.Closest) : query);
            var bm25Rel = topBm25 > 0 ? hit.Bm25 / topBm25 : 0;
            var cosRank = 0;
            foreach (var other in hits)
            {
                if (other.Similarity > hit.Similarity)
                {
                    cosRank++;
                }
            }
            var substring = LongestCommonSubstring(q.Chars, p.Chars);
            vectors[i] =
            [
                bm25Rel,
                1f / (i + 1),
                (float)(bm25Rel - (bm25Rel >= bm25First ? Math.Max(bm25Second, 0) : bm25First)),
                (float)hit.Similarity,
                (float)hit.SecondSimilarity,
                (float)(hit.Similarity - (hit.Similarity >= cosFirst ? Math.Max(cosSecond, 0) : cosFirst)),
                1f / (cosRank + 1),
                Jaccard(q.Units, p.Units),
                Jaccard(q.Bigrams, p.Bigrams),
                Containment(q.Units, p.Units),
                Containment(p.Units, q.Units),
                Containment(q.Bigrams, p.Bigrams),
                Containment(p.Bigrams, q.Bigrams),
                Jaccard(q.Words, p.Words),
                Ratio(substring, q.Chars.Length),
                Ratio(substring, p.Chars.Length),
                Ratio(LongestCommonSubsequence(q.Chars, p.Chars), Math.Max(q.Chars.Length, p.Chars.Length)),
                1 - Ratio(EditDistance(q.Chars, p.Chars), Math.Max(q.Chars.Length, p.Chars.Length)),
                Ratio(Math.Min(q.Chars.Length, p.Chars.Length), Math.Max(q.Chars.Length, p.Chars.Length)),
                hit.NegationMismatch ? 1 : 0,
                hit.NumberMismatch ? 1 : 0,
                (q.Questions & p.Questions) != 0 ? 1 : 0,
                q.Questions != 0 && p.Questions != 0 && (q.Questions & p.Questions) == 0 ? 1 : 0,
                Math.Min(q.Chars.Length, 30) / 30f,
                (float)blend[i],
                (float)(blend[i] - (blend[i] >= blendFirst ? (hits.Count > 1 ? blendSecond : 0) : blendFirst)),
                1f / (blend.Count(b => b > blend[i]) + 1),
            ];
        }
        return vectors;
    }

    private static void Top2(double value, ref double first, ref double second)
    {
        if (value > first)
        {
            second = first;
            first = value;
        }
        else if (value > second)
        {
            second = value;
        }
    }

    private static float Ratio(int part, int whole) => whole == 0 ? 0 : (float)part / whole;

    /// <summary>|A ∩ B| / |A ∪ B| over distinct items; 0 when both are empty.</summary>
    public static float Jaccard(string[] a, string[] b)
    {
        if (a.Length == 0 && b.Length == 0)
        {
            return 0;
        }
        var common = Common(a, b);
        return (float)common / (a.Length + b.Length - common);
    }

    /// <summary>The share of <paramref name="a"/>'s distinct items that <paramref name="b"/> also has.</summary>
    public static float Containment(string[] a, string[] b) => a.Length == 0 ? 0 : (float)Common(a, b) / a.Length;

    // Inputs are distinct and short (a question is a few dozen units), so a linear scan beats hashing.
    private static int Common(string[] a, string[] b)
    {
        var common = 0;
        foreach (var x in a)
        {
            if (Array.IndexOf(b, x) >= 0)
            {
                common++;
            }
        }
        return common;
    }

    /// <summary>Length of the longest run of characters both strings share.</summary>
    public static int LongestCommonSubstring(string a, string b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }
        Span<int> row = stackalloc int[b.Length + 1];
        row.Clear();
        var best = 0;
        for (var i = 1; i <= a.Length; i++)
        {
            // Walk right to left so row[j - 1] still holds the previous row's value.
            for (var j = b.Length; j >= 1; j--)
            {
                row[j] = a[i - 1] == b[j - 1] ? row[j - 1] + 1 : 0;
                best = Math.Max(best, row[j]);
            }
        }
        return best;
    }

    /// <summary>Length of the longest sequence of characters both strings have in the same order.</summary>
    public static int LongestCommonSubsequence(string a, string b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }
        Span<int> prev = stackalloc int[b.Length + 1];
        Span<int> cur = stackalloc int[b.Length + 1];
        prev.Clear();
        cur.Clear();
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                cur[j] = a[i - 1] == b[j - 1] ? prev[j - 1] + 1 : Math.Max(prev[j], cur[j - 1]);
            }
            cur.CopyTo(prev);
        }
        return prev[b.Length];
    }

    /// <summary>Levenshtein distance in characters (insert, delete, substitute, each costing 1).</summary>
    public static int EditDistance(string a, string b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return Math.Max(a.Length, b.Length);
        }
        Span<int> prev = stackalloc int[b.Length + 1];
        Span<int> cur = stackalloc int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            prev[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitute = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                cur[j] = Math.Min(substitute, Math.Min(prev[j], cur[j - 1]) + 1);
            }
            cur.CopyTo(prev);
        }
        return prev[b.Length];
    }

    /// <summary>The kinds of question a text asks, as a bit set (see <see cref="QuestionKinds"/>).</summary>
    public static int QuestionsOf(string text)
    {
        var mask = 0;
        for (var k = 0; k < QuestionKinds.Length; k++)
        {
            foreach (var cue in QuestionKinds[k])
            {
                if (text.Contains(cue, StringComparison.Ordinal))
                {
                    mask |= 1 << k;
                    break;
                }
            }
        }
        // "什么时候" asks when and "为什么" why, not what; "怎么会" asks why, not how.
        if ((mask & What) != 0 && !text.Replace("什么时候", "", StringComparison.Ordinal).Replace("为什么", "", StringComparison.Ordinal)
                .Replace("什么地方", "", StringComparison.Ordinal).Contains("什么", StringComparison.Ordinal) && !text.Contains('啥'))
        {
            mask &= ~What;
        }
        if ((mask & Why) != 0 && !text.Replace("怎么会", "", StringComparison.Ordinal).Contains("怎么", StringComparison.Ordinal))
        {
            mask &= ~How;
        }
        return mask;
    }

    private const int MaxChars = 120;

    private const int How = 1, Why = 1 << 4, What = 1 << 7;

    /// <summary>Cue words of each kind of question: how, how much, where, yes/no, why, when, who, what.</summary>
    public static readonly string[][] QuestionKinds =
    [
        ["怎么", "如何", "咋", "怎样", "怎么办", "方法"],
        ["多少", "几个", "几天", "几年", "几次", "多大", "多长", "多高", "多远"],
        ["哪里", "哪儿", "在哪", "去哪", "何处", "什么地方", "哪个地方"],
        ["能不能", "可不可以", "是不是", "能否", "是否", "可否", "会不会", "有没有", "行不行", "要不要"],
        ["为什么", "为啥", "怎么会", "干嘛", "咋会"],
        ["什么时候", "何时", "几点", "哪天", "多久", "时间"],
        ["谁", "哪个部门", "找谁"],
        ["什么", "啥"],
    ];

    /// <summary>One side of a pair, cut once: distinct units, bigrams and words, the characters and question kinds.</summary>
    private readonly struct Side
    {
        public Side(QueryText text)
        {
            Units = text.Units.Distinct(StringComparer.Ordinal).ToArray();
            Bigrams = text.Bigrams.Distinct(StringComparer.Ordinal).ToArray();
            Words = text.Words.Distinct(StringComparer.Ordinal).ToArray();
            var chars = string.Concat(text.Words);
            // The string measures are quadratic; a question's meaning is in its first sentence or two.
            Chars = chars.Length > MaxChars ? chars[..MaxChars] : chars;
            Questions = QuestionsOf(Chars);
        }

        public string[] Units { get; }
        public string[] Bigrams { get; }
        public string[] Words { get; }
        public string Chars { get; }
        public int Questions { get; }
    }
}
