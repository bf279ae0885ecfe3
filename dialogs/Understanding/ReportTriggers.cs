namespace CommunityBot.Dialogs.Understanding;

/// <summary>
/// The one list of words with which residents announce a report ("我要投诉 …", "我要报修：…", "反映一下，…"). The router
/// starts the intake on them, and everything that reads the report (category, place, time) reads what follows them, so a
/// trigger word changes nothing about how the problem itself is understood.
/// </summary>
public static class ReportTriggers
{
    // Longest first, so "我要投诉一下" is taken whole and not as "我要投诉" + "一下".
    private static readonly string[] Words =
    [
        .. new[]
        {
            "我要投诉", "我要举报", "我要报修", "我要反映", "我想投诉", "我想举报", "我想报修", "我想反映", "我来反映", "我来投诉",
            "想投诉", "想反映", "想报修", "想举报", "要投诉", "要反映", "要报修", "要举报",
            "反映一下", "投诉一下", "举报一下", "报修一下", "反映个问题", "反映一个问题", "反映问题", "反映情况", "投诉", "举报", "报修", "反映",
        }.OrderByDescending(w => w.Length),
    ];

    // "投诉电话多少", "报修了好几次", "反映的问题有结果了吗": the word is what the message is about, not an announcement.
    private static readonly string[] NotAfter =
    [
        "电话", "热线", "号码", "方式", "渠道", "流程", "平台", "怎么", "咋", "在哪", "去哪", "找谁", "哪里", "进度", "结果", "单",
        "了", "过", "的", "要", "吗", "呢", "什么", "有用",
    ];

    // What may follow the word before the problem: "我想反映一下", "我要投诉个事".
    private static readonly string[] Fillers = ["一下", "一个问题", "个问题", "一个情况", "个情况", "一件事", "个事"];

    private static readonly string[] Politeness = ["你好", "您好", "麻烦", "请问", "喂", "hi", "hello"];

    private static readonly char[] Separators = [' ', '\u3000', '：', ':', '，', ',', '、', '。', '！', '!', '~', '～', '-', '—'];

    /// <summary>Whether the message opens with a trigger word (after a greeting such as "你好，").</summary>
    public static bool StartsReport(string text) => Match(text.Trim()) is not null;

    /// <summary>
    /// The problem without the trigger words it opens with ("我要投诉：5号楼楼下烧烤店太吵" → "5号楼楼下烧烤店太吵");
    /// the text unchanged (trimmed) when it opens with none.
    /// </summary>
    public static string Strip(string text)
    {
        var rest = text.Trim();
        // Repeatedly: "我要投诉 反映一下…" is the same problem as "反映一下…" and as the bare problem.
        while (Match(rest) is { } after)
        {
            rest = after;
        }

        return rest;
    }

    /// <summary>What follows the opening trigger word (and its separators), or null when the text opens with none.</summary>
    private static string? Match(string text)
    {
        var start = SkipPoliteness(text);
        foreach (var word in Words)
        {
            if (string.CompareOrdinal(text, start, word, 0, word.Length) != 0)
            {
                continue;
            }

            var rest = text[(start + word.Length)..];
            if (NotAfter.Any(w => rest.StartsWith(w, StringComparison.Ordinal)))
            {
                return null;
            }

            if (Fillers.FirstOrDefault(f => rest.StartsWith(f, StringComparison.Ordinal)) is { } filler)
            {
                rest = rest[filler.Length..];
            }

            return rest.TrimStart(Separators);
        }

        return null;
    }

    private static int SkipPoliteness(string text)
    {
        foreach (var word in Politeness)
        {
            if (text.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            {
                var at = word.Length;
                while (at < text.Length && Array.IndexOf(Separators, text[at]) >= 0)
                {
                    at++;
                }

                return at;
            }
        }

        return 0;
    }
}
