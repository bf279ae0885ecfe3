namespace CommunityBot.Understanding;

/// <summary>A message or phrasing cut into what the FAQ index matches on: words, character units and unit bigrams.</summary>
public sealed class QueryText
{
    /// <summary>Relative weight of word, single-character and character-bigram features in the similarity.</summary>
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

    public static QueryText From(string text)
    {
        var words = ChineseTokenizer.Words(text);
        var units = ChineseTokenizer.Units(words);
        var bigrams = new List<string>(Math.Max(0, units.Count - 1));
        for (var i = 1; i < units.Count; i++)
        {
            bigrams.Add(string.Concat(units[i - 1], units[i]));
        }
        return new QueryText(words, units, bigrams);
    }

    /// <summary>Every feature occurrence with its type's weight; keys are prefixed by type so they never collide.</summary>
    public IEnumerable<(string Key, float Weight)> Features()
    {
        foreach (var w in Words)
        {
            yield return ("w:" + w, WordWeight);
        }
        foreach (var u in Units)
        {
            yield return ("u:" + u, UnitWeight);
        }
        foreach (var b in Bigrams)
        {
            yield return ("b:" + b, BigramWeight);
        }
    }
}
