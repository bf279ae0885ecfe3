using System.Text.RegularExpressions;

namespace CommunityBot.Understanding.Extractors;

/// <summary>
/// Finds how long something has gone on: "三天了", "一个多月了", "两个星期", "半年", "一个半小时".
/// Vague amounts take their lower bound ("好几天" → 3 days, "十几天" → 11 days, "一个多月" → 1 month);
/// a month is 30 days and a year 365. "3天前" is a time, not a duration; "3月" is March, so months need "个".
/// </summary>
public static partial class DurationExtractor
{
    public static (TimeSpan Value, int Start, int End)? Extract(string folded)
    {
        foreach (Match m in Duration().Matches(folded))
        {
            var unit = m.Groups["u"].Value;
            var hasGe = m.Groups["ge"].Success;
            var tail = m.Groups["tail"].Value;
            if (tail is "前" or "后" or "以前" or "之前" or "以后" or "之后")
            {
                continue;
            }
            if ((unit == "月" && !hasGe) || (unit == "日" && tail != "了"))
            {
                continue; // "3月" is March, "20日" a date
            }
            if (m.Index > 0 && folded[m.Index - 1] == '前')
            {
                continue; // "前几天", "前两天": a few days ago, not how long
            }
            var after = m.Index + m.Length - (m.Value.EndsWith('多') ? 1 : 0);
            if (tail.Length == 0 && after < folded.Length && (folded[after] is >= '0' and <= '9' || folded.AsSpan(after).StartsWith("到晚") || folded.AsSpan(after).StartsWith("多少")))
            {
                continue; // a rate ("一年1200", "一天多少钱") or "一天到晚", not how long
            }
            var raw = m.Groups["n"].Value;
            double amount;
            if (raw == "半")
            {
                amount = 0.5;
            }
            else if (ChineseNumber.ParseAtLeast(raw) is { } n)
            {
                amount = n;
            }
            else
            {
                continue;
            }
            if (unit == "年" && amount >= 100)
            {
                continue; // "2024年"
            }
            if (m.Groups["half"].Success || m.Groups["half2"].Success)
            {
                amount += 0.5;
            }
            var days = unit switch
            {
                "分钟" => amount / (24 * 60),
                "小时" or "钟头" => amount / 24,
                "天" or "日" => amount,
                "月" => amount * 30,
                "年" => amount * 365,
                _ => amount * 7,
            };
            if (days <= 0 || days > 365 * 100)
            {
                continue;
            }
            return (TimeSpan.FromDays(days), m.Index, m.Index + m.Length - tail.Length);
        }
        return null;
    }

    [GeneratedRegex(@"(?<![0-9零〇一二两三四五六七八九十百千万几好半])(?<n>[0-9]+|[零〇一二两三四五六七八九十百千万几]+|好几|半)(?:多|来)?(?<ge>个)?(?:多)?(?<half>半)?(?<u>分钟|小时|钟头|天|日|星期|礼拜|周|月|年)(?<half2>半)?(?:多)?(?<tail>了|以前|之前|以后|之后|前|后)?", RegexOptions.CultureInvariant)]
    private static partial Regex Duration();
}
