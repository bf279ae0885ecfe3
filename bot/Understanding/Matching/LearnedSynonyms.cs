namespace CommunityBot.Understanding.Matching;

/// <summary>
/// Word pairs learned from the knowledge base itself: when the phrasings of one entry use different words for
/// the same thing ("借款" in one, "贷款" in another), and other entries pair the same words too, the words are
/// taken to mean the same here. A message's words are then also looked for under their learned synonyms.
/// </summary>
public sealed class LearnedSynonyms
{
    private readonly Dictionary<string, (string Word, float Weight)[]> _map;

    private LearnedSynonyms(Dictionary<string, (string Word, float Weight)[]> map) => _map = map;

    public static LearnedSynonyms Empty { get; } = new(new Dictionary<string, (string, float)[]>(StringComparer.Ordinal));

    /// <summary>How many words have at least one learned synonym.</summary>
    public int Count => _map.Count;

    public IReadOnlyList<(string Word, float Weight)> Of(string word) =>
        _map.TryGetValue(word, out var synonyms) ? synonyms : [];

    /// <summary>
    /// Learns from each entry's phrasings (words only). A pair counts once per entry in which one phrasing has the
    /// first word and not the second while another has the second and not the first; pairs seen in at least
    /// <paramref name="minEntries"/> entries are kept, weighted by how consistently the words pair (count over the
    /// geometric mean of the entries each word appears in), best <paramref name="maxPerWord"/> per word.
    /// </summary>
    public static LearnedSynonyms Learn(IEnumerable<IReadOnlyList<IReadOnlyList<string>>> entries, int minEntries = 2, int maxPerWord = 3)
    {
        var pairs = new Dictionary<(string, string), int>();
        var wordEntries = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var phrasings in entries)
        {
            var sets = phrasings.Select(p => p.Where(w => w.Length > 0).ToHashSet(StringComparer.Ordinal)).ToList();
            foreach (var w in sets.SelectMany(s => s).Distinct())
            {
                wordEntries[w] = wordEntries.GetValueOrDefault(w) + 1;
            }
            if (sets.Count < 2)
            {
                continue;
            }
            var seen = new HashSet<(string, string)>();
            for (var i = 0; i < sets.Count; i++)
            {
                for (var j = i + 1; j < sets.Count; j++)
                {
                    foreach (var a in sets[i])
                    {
                        if (sets[j].Contains(a))
                        {
                            continue;
                        }
                        foreach (var b in sets[j])
                        {
                            if (!sets[i].Contains(b) && a != b)
                            {
                                seen.Add(string.CompareOrdinal(a, b) < 0 ? (a, b) : (b, a));
                            }
                        }
                    }
                }
            }
            foreach (var pair in seen)
            {
                pairs[pair] = pairs.GetValueOrDefault(pair) + 1;
            }
        }
        var candidates = new Dictionary<string, List<(string, float)>>(StringComparer.Ordinal);
        foreach (var ((a, b), count) in pairs)
        {
            if (count < minEntries)
            {
                continue;
            }
            var weight = (float)(count / Math.Sqrt((double)wordEntries[a] * wordEntries[b]));
            Add(candidates, a, b, weight);
            Add(candidates, b, a, weight);
        }
        var map = new Dictionary<string, (string, float)[]>(StringComparer.Ordinal);
        foreach (var (word, list) in candidates)
        {
            map[word] = [.. list.OrderByDescending(x => x.Item2).ThenBy(x => x.Item1, StringComparer.Ordinal).Take(maxPerWord)];
        }
        return new LearnedSynonyms(map);
    }

    private static void Add(Dictionary<string, List<(string, float)>> candidates, string from, string to, float weight)
    {
        if (!candidates.TryGetValue(from, out var list))
        {
            candidates[from] = list = [];
        }
        list.Add((to, Math.Min(1f, weight)));
    }
}
