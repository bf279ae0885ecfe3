using System.Text.RegularExpressions;
using CommunityBot.Dialogs.Understanding;

namespace CommunityBot.Understanding.Extractors;

/// <summary>
/// Finds when, resolved against the message time in its own offset (Beijing +08:00 in practice).
/// Residents report what has happened, so a time of day without a day ("凌晨两点多", "半夜", "下午3点半")
/// is the most recent such time not more than 30 minutes in the future (a later one today means yesterday);
/// a recurrence ("每天晚上", "天天半夜") is anchored on today instead. A bare clock hour below 12 ("10点")
/// is the latest of 10:00 and 22:00 that has passed. A day alone ("前天", "11月20号", "3天前") is that
/// whole day; a weekend is Saturday 00:00 to Monday 00:00; a point ("刚才", "昨晚十点") has no end.
/// </summary>
public static partial class TimeExtractor
{
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(30);

    public static (TimeDetail Detail, int Start, int End)? Extract(string original, string folded, DateTimeOffset at)
    {
        var parts = new List<(int Start, int End)>(4);
        var recurrence = Recurrence().Match(folded);
        var recurring = recurrence.Success;
        if (recurring)
        {
            parts.Add((recurrence.Index, recurrence.Index + recurrence.Length));
        }

        var today = new DateTimeOffset(at.Date, at.Offset);
        DateTimeOffset? day = null;
        DateTimeOffset? dayEnd = null;
        string? period = recurring ? ImpliedPeriod(recurrence.Value) : null;

        var d = Day().Match(folded);
        if (d.Success)
        {
            parts.Add((d.Index, d.Index + d.Length));
            if (d.Groups["now"].Success)
            {
                return (new TimeDetail(original.Substring(d.Index, d.Length), at, null, false), d.Index, d.Index + d.Length);
            }
            if (d.Groups["ago"].Success)
            {
                var n = AgoAmount(d);
                if (n is null)
                {
                    return null;
                }
                switch (d.Groups["u"].Value)
                {
                    case "小时" or "钟头":
                        return Point(original, d, at - TimeSpan.FromHours(n.Value));
                    case "分钟":
                        return Point(original, d, at - TimeSpan.FromMinutes(n.Value));
                    case "天" or "日":
                        day = today.AddDays(-Math.Floor(n.Value));
                        break;
                    case "月":
                        day = n.Value == Math.Floor(n.Value) ? today.AddMonths(-(int)n.Value) : today.AddDays(-Math.Floor(n.Value * 30));
                        break;
                    case "年":
                        day = n.Value == Math.Floor(n.Value) ? today.AddYears(-(int)n.Value) : today.AddDays(-Math.Floor(n.Value * 365));
                        break;
                    default:
                        day = today.AddDays(-7 * Math.Floor(n.Value));
                        break;
                }
            }
            else if (d.Groups["rel"].Success)
            {
                var word = d.Groups["rel"].Value;
                day = today.AddDays(word switch
                {
                    "大前天" => -3,
                    ['前', ..] => -2,
                    ['昨', ..] => -1,
                    ['今', ..] => 0,
                    ['明', ..] => 1,
                    "大后天" => 3,
                    _ => 2,
                });
                period ??= ImpliedPeriod(word);
            }
            else if (d.Groups["span"].Success)
            {
                // "上周", "这个月", "去年": the whole week (from Monday), calendar month or year.
                var word = d.Groups["span"].Value;
                var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
                var firstOfMonth = today.AddDays(1 - today.Day);
                (day, dayEnd) = word switch
                {
                    "上上周" => (monday.AddDays(-14), monday.AddDays(-7)),
                    "去年" => (firstOfMonth.AddMonths(1 - today.Month - 12), firstOfMonth.AddMonths(1 - today.Month)),
                    "今年" => (firstOfMonth.AddMonths(1 - today.Month), firstOfMonth.AddMonths(13 - today.Month)),
                    ['上', .., '月'] => (firstOfMonth.AddMonths(-1), firstOfMonth),
                    [_, .., '月'] => (firstOfMonth, firstOfMonth.AddMonths(1)),
                    ['上', ..] => (monday.AddDays(-7), monday),
                    _ => (monday, monday.AddDays(7)),
                };
            }
            else if (d.Groups["wk"].Success)
            {
                var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
                var weekShift = d.Groups["p"].Value switch
                {
                    "上上" => -14,
                    "下下" => 14,
                    "上" => -7,
                    "下" => 7,
                    _ => 0,
                };
                var w = d.Groups["w"].Value;
                if (w == "末")
                {
                    var saturday = monday.AddDays(5 + weekShift);
                    if (d.Groups["p"].Length == 0 && saturday > today)
                    {
                        saturday = saturday.AddDays(-7);
                    }
                    day = saturday;
                    dayEnd = saturday.AddDays(2);
                }
                else
                {
                    var index = w switch { "一" or "1" => 0, "二" or "2" => 1, "三" or "3" => 2, "四" or "4" => 3, "五" or "5" => 4, "六" or "6" => 5, _ => 6 };
                    var candidate = monday.AddDays(index + weekShift);
                    if (d.Groups["p"].Length == 0 && candidate > today)
                    {
                        candidate = candidate.AddDays(-7);
                    }
                    day = candidate;
                }
            }
            else
            {
                day = CalendarDay(d, today);
                if (day is null)
                {
                    return null;
                }
            }
        }

        var p = Period().Match(folded);
        if (p.Success)
        {
            period = p.Value;
            parts.Add((p.Index, p.Index + p.Length));
        }

        var clocks = new List<Match>(2);
        foreach (Match c in Clock().Matches(folded))
        {
            if (LooksLikeClock(folded, c, period is not null || day is not null))
            {
                clocks.Add(c);
                if (clocks.Count == 2)
                {
                    break;
                }
            }
        }

        if (!recurring && day is null && period is null && clocks.Count == 0)
        {
            return null;
        }

        DateTimeOffset? start = null, end = null;
        var explicitDay = day is not null;
        var baseDay = day ?? today;
        if (clocks.Count > 0)
        {
            var first = clocks[0];
            parts.Add((first.Index, first.Index + first.Length));
            var (h, m) = HourMinute(first);
            var hour = Adjust(h, period);
            DateTimeOffset startBase;
            if (period is null && !explicitDay && !recurring && h is > 0 and < 12)
            {
                // "10点" alone: the latest of 10:00 today, 22:00 today and 22:00 yesterday that has passed.
                var morning = today.AddHours(h).AddMinutes(m);
                var evening = morning.AddHours(12);
                start = evening <= at + Grace ? evening : morning <= at + Grace ? morning : evening.AddDays(-1);
                startBase = new DateTimeOffset(start.Value.Date, at.Offset);
            }
            else
            {
                startBase = baseDay;
                start = baseDay.AddHours(hour).AddMinutes(m);
            }
            if (clocks.Count == 2 && IsRange(folded, first, clocks[1], out var secondPeriod))
            {
                var second = clocks[1];
                parts.Add((first.Index + first.Length, second.Index + second.Length));
                var (h2, m2) = HourMinute(second);
                var endAt = startBase.AddHours(Adjust(h2, secondPeriod ?? period)).AddMinutes(m2);
                if (endAt <= start && secondPeriod is null && h2 < 12 && endAt.AddHours(12) > start)
                {
                    endAt = endAt.AddHours(12); // "8点到10点" after "晚上" or in the evening
                }
                while (endAt <= start)
                {
                    endAt = endAt.AddDays(1);
                }
                end = endAt;
            }
        }
        else if (period is not null)
        {
            var (from, to) = PeriodHours(period);
            start = baseDay.AddHours(from);
            end = baseDay.AddHours(to);
        }
        else if (day is not null)
        {
            start = day;
            end = dayEnd ?? day.Value.AddDays(1);
        }

        if (start is not null && !explicitDay && !recurring && start > at + Grace)
        {
            start = start.Value.AddDays(-1);
            end = end?.AddDays(-1);
        }

        var (s, e) = Span(parts);
        var text = e - s <= 20 ? original[s..e] : string.Concat(parts.OrderBy(x => x.Start).Select(x => original[x.Start..x.End]));
        return (new TimeDetail(text, start, end, recurring), s, e);
    }

    private static (TimeDetail, int, int) Point(string original, Match m, DateTimeOffset value) =>
        (new TimeDetail(original.Substring(m.Index, m.Length), value, null, false), m.Index, m.Index + m.Length);

    private static (int Start, int End) Span(List<(int Start, int End)> parts)
    {
        var s = int.MaxValue;
        var e = -1;
        foreach (var p in parts)
        {
            s = Math.Min(s, p.Start);
            e = Math.Max(e, p.End);
        }
        return (s, e);
    }

    private static double? AgoAmount(Match d)
    {
        var raw = d.Groups["n"].Value;
        double value;
        if (raw == "半")
        {
            value = 0.5;
        }
        else if (ChineseNumber.ParseAtLeast(raw) is { } n)
        {
            value = n;
        }
        else
        {
            return null;
        }
        if (d.Groups["more2"].Value == "半")
        {
            value += 0.5;
        }
        return value;
    }

    private static DateTimeOffset? CalendarDay(Match d, DateTimeOffset today)
    {
        var dayOfMonth = ChineseNumber.ParseInt(d.Groups["d"].Value);
        if (dayOfMonth is not (>= 1 and <= 31))
        {
            return null;
        }
        int year = today.Year, month = today.Month;
        if (d.Groups["m"].Success)
        {
            if (ChineseNumber.ParseInt(d.Groups["m"].Value) is not (>= 1 and <= 12 and var mo))
            {
                return null;
            }
            month = mo;
            if (d.Groups["y"].Success)
            {
                year = int.Parse(d.Groups["y"].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (month > today.Month || (month == today.Month && dayOfMonth > today.Day))
            {
                year--; // "11月20号" said in January is last year's
            }
        }
        else if (dayOfMonth > today.Day)
        {
            (year, month) = month == 1 ? (year - 1, 12) : (year, month - 1); // "28号" said on the 3rd is last month's
        }
        if (year is < 1 or > 9999 || dayOfMonth > DateTime.DaysInMonth(year, month))
        {
            return null;
        }
        return new DateTimeOffset(year, month, dayOfMonth.Value, 0, 0, 0, today.Offset);
    }

    private static string? ImpliedPeriod(string word) => word switch
    {
        _ when word.Contains('晚') || word.Contains("夜夜") => "晚上",
        _ when word.Contains('夜') => "夜里",
        _ when word.Contains('早') => "早上",
        _ => null,
    };

    private static (double From, double To) PeriodHours(string period) => period switch
    {
        "凌晨" => (0, 6),
        "半夜" or "深夜" or "午夜" or "大半夜" => (23, 27),
        "夜里" or "夜间" or "夜" => (22, 30),
        "早上" or "早晨" or "清晨" or "清早" or "一早" or "一大早" or "大清早" or "大早上" => (6, 9),
        "上午" => (8, 12),
        "中午" or "晌午" => (11, 13),
        "下午" => (13, 18),
        "傍晚" or "黄昏" => (17, 19),
        "白天" => (8, 18),
        _ => (18, 24), // 晚上 晚间 夜晚
    };

    /// <summary>The hour after the base day's midnight that "h点" means in this part of the day (may be ≥ 24).</summary>
    private static double Adjust(int h, string? period) => period switch
    {
        null or "早上" or "早晨" or "清晨" or "清早" or "一早" or "一大早" or "大清早" or "大早上" or "上午" or "白天" => h,
        "凌晨" => h == 12 ? 0 : h,
        "中午" or "晌午" => h <= 2 ? h + 12 : h,
        "下午" or "傍晚" or "黄昏" => h < 12 ? h + 12 : h,
        "半夜" or "深夜" or "午夜" or "大半夜" or "夜里" or "夜间" or "夜" => h <= 6 ? h + 24 : h == 12 ? 24 : h < 12 ? h + 12 : h,
        // 晚上: "晚上2点" is the small hours after that evening.
        _ => h == 12 ? 24 : h <= 4 ? h + 24 : h < 12 ? h + 12 : h,
    };

    private static (int Hour, int Minute) HourMinute(Match c)
    {
        var h = ChineseNumber.ParseInt(c.Groups["h"].Value) ?? 0;
        var m = c.Groups["half"].Success ? 30
            : c.Groups["q"].Success ? (c.Groups["q"].Value == "一" ? 15 : 45)
            : c.Groups["mi"].Success ? ChineseNumber.ParseInt(c.Groups["mi"].Value) ?? 0
            : 0;
        return (h, m);
    }

    private static bool LooksLikeClock(string text, Match c, bool context)
    {
        var h = ChineseNumber.ParseInt(c.Groups["h"].Value);
        var (_, minute) = HourMinute(c);
        if (h is null or > 24 || minute > 59)
        {
            return false;
        }
        var end = c.Index + c.Length;
        var next = end < text.Length ? text[end] : '\0';
        var prev = c.Index > 0 ? text[c.Index - 1] : '\0';
        if (next is '点' or '儿' or '滴' || prev is '有' or '差' or '这' or '快' or '那' or '好')
        {
            return false; // "一点点", "有一点吵"
        }
        var chinese = c.Groups["h"].Value[0] is not (>= '0' and <= '9');
        var bare = !c.Groups["half"].Success && !c.Groups["q"].Success && !c.Groups["mi"].Success && !c.Groups["more"].Success;
        return !(chinese && bare && !context && h <= 2);
    }

    private static bool IsRange(string text, Match first, Match second, out string? secondPeriod)
    {
        secondPeriod = null;
        var between = text.AsSpan(first.Index + first.Length, second.Index - first.Index - first.Length).Trim();
        if (between.IsEmpty || between[0] is not ('到' or '至' or '-' or '~' or '—'))
        {
            return false;
        }
        var rest = between[1..].Trim();
        if (rest.IsEmpty)
        {
            return true;
        }
        var p = Period().Match(rest.ToString());
        if (p.Success && p.Index == 0 && p.Length == rest.Length)
        {
            secondPeriod = p.Value;
            return true;
        }
        return false;
    }

    [GeneratedRegex(@"每天晚上|每天|天天|每晚|每夜|夜夜|每个?晚上|每到晚上|一到晚上|每个?周末|每周|每个?星期|每个?礼拜|经常|老是|总是|成天|整天|一到周末", RegexOptions.CultureInvariant)]
    private static partial Regex Recurrence();

    [GeneratedRegex(@"(?<ymd>(?<y>[0-9]{4})年(?<m>[0-9]{1,2}|[一二三四五六七八九十]{1,3})月(?<d>[0-9]{1,2}|[一二三四五六七八九十廿]{1,3})[日号]?)"
        + @"|(?<md>(?<![0-9])(?<m>[0-9]{1,2}|[一二三四五六七八九十]{1,3})月(?<d>[0-9]{1,2}|[一二三四五六七八九十廿]{1,3})[日号]?)"
        + @"|(?<dd>(?<![0-9一二三四五六七八九十#-]|单元|楼|栋|幢|第)(?<d>[0-9]{1,2}|[一二三四五六七八九十廿]{1,3})[日号](?![0-9]|楼|院|单元|线|床|门|房|室|机|车|口|位|铺|店|柜|箱))"
        + @"|(?<rel>大前天|前天|前日|前晚|前儿|昨天|昨日|昨晚|昨夜|昨儿|昨早|今天|今日|今晚|今早|今夜|今儿|明天|明日|明早|明晚|大后天|后天)"
        + @"|(?<ago>(?<n>[0-9]+|[一二两三四五六七八九十几半好]+)个?(?<more2>多|半)?(?<u>天|日|周|星期|礼拜|月|年|小时|钟头|分钟)多?(?:以前|之前|前))"
        + @"|(?<wk>(?<p>上上|下下|上|这|本|下)?个?(?:周|星期|礼拜)(?<w>[一二三四五六日天1-7](?!次|回|遍|个|天|户|家|辆|趟)|末))"
        + @"|(?<span>上上周|上个?(?:周|星期|礼拜)|这个?(?:周|星期|礼拜)|本周|上个月|这个月|本月|去年|今年)"
        + @"|(?<now>刚刚|刚才|方才)", RegexOptions.CultureInvariant)]
    private static partial Regex Day();

    [GeneratedRegex(@"大半夜|半夜|深夜|午夜|凌晨|大清早|一大早|大早上|早上|早晨|清晨|清早|一早|上午|中午|晌午|下午|傍晚|黄昏|晚上|晚间|夜晚|夜里|夜间|白天", RegexOptions.CultureInvariant)]
    private static partial Regex Period();

    [GeneratedRegex(@"(?<![0-9零一二两三四五六七八九十])(?<h>[0-9]{1,2}|[零一二两三四五六七八九十]{1,3})(?:(?:点|时)(?:(?<half>半)|(?<q>[一三])刻|(?<mi>[0-9]{1,2}|[零一二三四五六七八九十]{2,3})分?|(?<mi>[一二三四五六七八九])分)?|:(?<mi>[0-9]{2}))(?<more>多|左右|钟)?", RegexOptions.CultureInvariant)]
    private static partial Regex Clock();
}
