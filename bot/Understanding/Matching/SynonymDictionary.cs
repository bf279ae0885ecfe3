namespace CommunityBot.Understanding.Matching;

/// <summary>
/// The editable synonym dictionary (<c>Data/synonyms.txt</c>): one group per line, words separated by spaces,
/// the first word of a group is its canonical form, <c>#</c> starts a comment. Phrasings and messages are both
/// rewritten to canonical forms before matching, so "物管的联系方式" and "物业电话" share words and bigrams.
/// Immutable and thread-safe.
/// </summary>
public sealed class SynonymDictionary
{
    private readonly Dictionary<string, string> _canonical;
    private readonly int _maxLength;
    private readonly HashSet<char> _firsts;

    private SynonymDictionary(Dictionary<string, string> canonical)
    {
        _canonical = canonical;
        _maxLength = canonical.Count == 0 ? 0 : canonical.Keys.Max(k => k.Length);
        _firsts = [.. canonical.Keys.Select(k => k[0])];
    }

    public static SynonymDictionary Empty { get; } = new(new Dictionary<string, string>(StringComparer.Ordinal));

    /// <summary>How many surface forms map to a canonical form.</summary>
    public int Count => _canonical.Count;

    /// <summary>Reads a dictionary file; a missing file is an empty dictionary.</summary>
    public static SynonymDictionary Load(string path) =>
        File.Exists(path) ? Parse(File.ReadLines(path)) : Empty;

    public static SynonymDictionary Parse(IEnumerable<string> lines)
    {
        var canonical = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in lines)
        {
            var hash = raw.IndexOf('#');
            var line = hash >= 0 ? raw[..hash] : raw;
            var words = line.Split([' ', '\t', '/', ',', '，'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(ChineseTokenizer.Normalize)
                .Distinct()
                .ToList();
            if (words.Count < 2)
            {
                continue;
            }
            foreach (var word in words.Skip(1))
            {
                // A word listed in two groups keeps its first: later lines cannot silently re-route earlier ones.
                canonical.TryAdd(word, words[0]);
            }
        }
        return new SynonymDictionary(canonical);
    }

    /// <summary>
    /// Replaces every dictionary word in already normalised text with its canonical form, longest match first,
    /// left to right.
    /// </summary>
    public string Rewrite(string normalized)
    {
        if (_maxLength == 0)
        {
            return normalized;
        }
        System.Text.StringBuilder? builder = null;
        var lookup = _canonical.GetAlternateLookup<ReadOnlySpan<char>>();
        var i = 0;
        var copied = 0;
        while (i < normalized.Length)
        {
            if (!_firsts.Contains(normalized[i]))
            {
                i++;
                continue;
            }
            var matched = 0;
            string? replacement = null;
            for (var length = Math.Min(_maxLength, normalized.Length - i); length >= 1; length--)
            {
                if (lookup.TryGetValue(normalized.AsSpan(i, length), out var found))
                {
                    matched = length;
                    replacement = found;
                    break;
                }
            }
            if (replacement is null)
            {
                i++;
                continue;
            }
            builder ??= new System.Text.StringBuilder(normalized.Length + 8);
            builder.Append(normalized, copied, i - copied).Append(replacement);
            i += matched;
            copied = i;
        }
        return builder is null ? normalized : builder.Append(normalized, copied, normalized.Length - copied).ToString();
    }
}
