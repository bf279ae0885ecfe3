namespace CommunityBot.Understanding;

/// <summary>A message or phrasing cut into what the FAQ index matches on: words, character units and unit bigrams.</summary>
public sealed class QueryText
{
    /// <summary>Relative weight of word, single-character and character-bigram features in the similarity.</summary>
    // Measured on the eval sets: single characters at half weight answer more paraphrases correctly than at
    // full or quarter weight for the same rate of look-alikes answered; words and bigrams count the same.
    internal const float WordWeight = 1.0f, UnitWeight = 0.5f, BigramWeight = 1.0f;

    private QueryText(List<string> words, List<string> units, List<string> bigrams)
    {
        Words = words;
        Units = units;
        Bigrams = bigrams;
    }

    public IReadOnlyList<string> Words { get; }
    public IReadOnlyList<string> Units { get; }
    public IReadOnlyList<string> Bigrams { get; }

    // Modal particles and politeness fillers carry no meaning for matching, and in a small knowledge base a
    // particle no entry happens to use would otherwise count as unknown content at full weight.
    private static readonly HashSet<string> Fillers = ["的", "了", "吗", "呢", "啊", "吧", "呀", "么", "嘛", "哦", "哈", "呐", "请问", "一下"];

    public static QueryText From(string text)
    {
        var words = ChineseTokenizer.Words(text);
        words.RemoveAll(Fillers.Contains);
        var units = ChineseTokenizer.Units(words);
        var bigrams = new List<string>(Math.Max(0, units.Count - 1));
        for (var i = 1; i < units.Count; i++)
        {
            bigrams.Add(string.Concat(units[i - 1], units[i]));
        }
        return new QueryText(words, units, bigrams);
    }

    /// <summary>Every feature occurrence in order: the words, then the character units, then the bigrams.</summary>
    public IEnumerable<(TermKind Kind, string Term)> Terms()
    {
        foreach (var w in Words)
        {
            yield return (TermKind.Word, w);
        }
        foreach (var u in Units)
        {
            yield return (TermKind.Unit, u);
        }
        foreach (var b in Bigrams)
        {
            yield return (TermKind.Bigram, b);
        }
    }
}

/// <summary>The kinds of feature the FAQ index matches on.</summary>
public enum TermKind : byte
{
    Word,
    Unit,
    Bigram,
}
