namespace CommunityBot.Tickets;

/// <summary>
/// Whether a new report is the same problem as an open ticket at the same place: "楼道灯坏了三天了" (物业管理) and
/// "楼道灯不亮" (消防安全) are one problem whatever label each got, "楼道灯坏了" and "电梯坏了" are two although both are
/// 物业管理. Compared on the Chinese character pairs of what happened, without the place and the little words.
/// </summary>
public static class DuplicateMatcher
{
    /// <summary>Pairs shared (as a share of the shorter description) for one problem under any category.</summary>
    public const double SameProblem = 0.5;

    /// <summary>A lower bar when both reports got the same category.</summary>
    public const double SameProblemSameCategory = 0.34;

    // Particles and fillers: they say nothing about which problem it is ("坏了" and "坏" are the same).
    private const string Filler = "了的得地着过吗呢吧啊呀哦嘛很太都也还又再在是有我们你他她它这那个就";

    // What a compound's name is shortened to in speech ("幸福里小区" → "幸福里"): left out with the name.
    private static readonly string[] NameSuffixes = ["小区", "花园", "家园", "新村", "公寓", "社区", "院", "苑"];

    /// <summary>Whether <paramref name="report"/> (of <paramref name="category"/>) is the problem <paramref name="open"/> already records.</summary>
    public static bool IsSameProblem(Ticket open, string category, string description, IEnumerable<string?> placeWords)
    {
        var words = placeWords
            .Where(w => !string.IsNullOrEmpty(w))
            .SelectMany(w => NameSuffixes.Where(s => w!.Length > s.Length + 1 && w.EndsWith(s, StringComparison.Ordinal)).Select(s => w![..^s.Length]).Prepend(w!))
            .Distinct()
            .OrderByDescending(w => w.Length)
            .ToList();
        var a = Pairs(open.Description, words);
        var b = Pairs(description, words);
        if (a.Count == 0 || b.Count == 0)
        {
            // Nothing to compare (a bare "+1", a photo): the category label is all there is.
            return open.Category == category;
        }

        var shared = a.Count(b.Contains) / (double)Math.Min(a.Count, b.Count);
        return shared >= (open.Category == category ? SameProblemSameCategory : SameProblem);
    }

    private static HashSet<string> Pairs(string text, IReadOnlyList<string> placeWords)
    {
        foreach (var word in placeWords)
        {
            text = text.Replace(word, " ", StringComparison.Ordinal);
        }

        text = text.Replace("号楼", " ", StringComparison.Ordinal).Replace("小区", " ", StringComparison.Ordinal);
        var kept = new System.Text.StringBuilder(text.Length);
        foreach (var c in text)
        {
            // Han characters only (digits, letters and punctuation break the run), fillers left out.
            kept.Append(c is >= '\u4e00' and <= '\u9fff' && !Filler.Contains(c) ? c : ' ');
        }

        var pairs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var run in kept.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            for (var i = 0; i + 1 < run.Length; i++)
            {
                pairs.Add(run.Substring(i, 2));
            }
        }

        return pairs;
    }
}
