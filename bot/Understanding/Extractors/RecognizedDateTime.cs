using System.Buffers;
using System.Globalization;
using System.Text.RegularExpressions;
using CommunityBot.Dialogs.Understanding;
using Microsoft.Recognizers.Text;

namespace CommunityBot.Understanding.Extractors;

/// <summary>
/// Turns Microsoft.Recognizers.Text datetimeV2 results (zh-CN) into our <see cref="TimeDetail"/> and durations, with the
/// same reading of a resident's report as <see cref="TimeExtractor"/>: the recognizer offers every candidate of an
/// ambiguous phrase ("星期五" last week and this week, "10点" 10:00 and 22:00, "11月20号" this year and next), and a
/// resident reports what has happened, so the latest candidate not more than 30 minutes after the message wins; a
/// time of day alone lies today, or yesterday when that is still to come; a recurrence ("每天早上7点") is anchored on
/// today. Resolution is in the message's own offset: the recognizer reads and writes wall-clock times.
/// <para>
/// <c>guarded</c> adds our vetoes for the recognizer's false positives on residents' words, found on the table tests
/// and the shared grievance titles:
/// "有一点吵" is not 01:00, "1938小区" not a year, "五六年了" not 1956, "路55号" not the 5th, and a lunar holiday ("春节") is not the Gregorian date of its lunar month and day. Without it the results are the recognizer's own (the "recognizers" column in eval/README.md).
/// </para>
/// </summary>
public static partial class RecognizedDateTime
{
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(30);

    /// <summary>Longest piece handed to the recognizer at once.</summary>
    public const int ChunkLength = 100;

    /// <summary>How much of a message the recognizer reads at most; our own rules read all of it.</summary>
    public const int MaxLength = 600;

    /// <summary>
    /// The recognizer's results for <paramref name="folded"/> at the message's wall-clock time, with indexes into it.
    /// Its cost grows faster than the text (here ≈2 ms for 20 characters, ≈6 ms for 100, ≈130 ms for 800), so it reads
    /// the message in pieces of at most <see cref="ChunkLength"/> characters cut after sentence punctuation, and no
    /// more than the first <see cref="MaxLength"/> characters (a 2,000-character message would otherwise cost a second
    /// of CPU): a resident's time sits in one sentence.
    /// </summary>
    public static List<ModelResult> Recognize(string folded, DateTimeOffset at)
    {
        var model = ChineseRecognizers.DateTime;
        var length = Math.Min(folded.Length, MaxLength);
        if (length <= ChunkLength)
        {
            return model.Parse(length == folded.Length ? folded : folded[..length], at.DateTime);
        }

        var results = new List<ModelResult>();
        var start = 0;
        while (start < length)
        {
            var end = Math.Min(start + ChunkLength, length);
            if (end < length)
            {
                // Cut after the last sentence mark in the window, so a time is not split between two pieces.
                var cut = folded.AsSpan(start, end - start).LastIndexOfAny("。！？!?；;\n，,");
                if (cut > 0)
                {
                    end = start + cut + 1;
                }
            }

            foreach (var r in model.Parse(folded[start..end], at.DateTime))
            {
                r.Start += start;
                r.End += start;
                results.Add(r);
            }

            start = end;
        }

        return results;
    }

    /// <summary>The first time the results name (a set followed by a part of the day combines with it), or null.</summary>
    public static (TimeDetail Detail, int Start, int End)? Time(IReadOnlyList<ModelResult> results, string original, DateTimeOffset at, bool guarded)
    {
        for (var i = 0; i < results.Count; i++)
        {
            var r = results[i];
            var type = Type(r);
            if (type is "duration" or null || (guarded && IsFalseReading(r, original)))
            {
                continue;
            }

            var start = r.Start;
            var end = r.End + 1;
            var recurring = type == "set";
            var source = r;
            if (recurring && i + 1 < results.Count && Type(results[i + 1]) is "time" or "timerange" && results[i + 1].Start <= end + 1)
            {
                // "每天" + "晚上": the recognizer splits them; the second says when in the day.
                source = results[i + 1];
                end = source.End + 1;
            }

            var (from, to) = Resolve(source, at, recurring, guarded);
            if (from is null && to is null && !recurring)
            {
                continue; // recognised without a resolution ("一个星期前")
            }

            return (new TimeDetail(original[start..end], from, to, recurring), start, end);
        }

        return null;
    }

    /// <summary>
    /// The first duration the results name ("三天" → 3 days), or null. Evaluation only: the shipped extractor reads
    /// durations with our rules alone (the recognizer fails 13 of their 41 rows and added none on 6,526 messages).
    /// </summary>
    public static (TimeSpan Value, int Start, int End)? Duration(IReadOnlyList<ModelResult> results)
    {
        foreach (var r in results)
        {
            if (Type(r) != "duration" || Values(r).FirstOrDefault() is not { } v || !v.TryGetValue("value", out var seconds)
                || !double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) || s <= 0)
            {
                continue;
            }

            return (TimeSpan.FromSeconds(s), r.Start, r.End + 1);
        }

        return null;
    }

    private static readonly DateTimeOffset Earliest = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Characters of which a resident's time always has one ("年", "号", "点", "昨", "节" …).</summary>
    private static readonly SearchValues<char> TimeMarks = SearchValues.Create("年月日号周星期礼拜天点时分刻秒晚早夜午宵节旦今明昨前后去现刚近来每初底末旬季");

    /// <summary>
    /// Readings of the recognizer that residents' messages show to be wrong (eval/README.md lists them from the
    /// shared grievance titles): "有一点吵" as 01:00; a bare number as a year or a day ("1938小区", "1504班",
    /// "【2011】47号", "三十多年" as the 30th); the tail of a house number as a day ("路55号" as the 5th), "150年历史" as
    /// the year 150; "五六年了" (five or six years) as the year 1956; "最近" (lately) as today.
    /// </summary>
    private static bool IsFalseReading(ModelResult r, string original) =>
        (Type(r) == "time" && r.Text is "一点" or "两点" or "二点")
        || (r.Start > 0 && char.IsAsciiDigit(original[r.Start - 1])) // "路55号" read from its last digit as the 5th
        || r.Text.AsSpan().IndexOfAny(TimeMarks) < 0
        || r.Text == "最近"
        || ShortChineseYear().IsMatch(r.Text);

    [GeneratedRegex("^[零〇一二两三四五六七八九十]{1,3}年$", RegexOptions.CultureInvariant)]
    private static partial Regex ShortChineseYear();

    private static string? Type(ModelResult r)
    {
        var t = r.TypeName;
        const string prefix = "datetimeV2.";
        return t.StartsWith(prefix, StringComparison.Ordinal) ? t[prefix.Length..] : null;
    }

    private static IEnumerable<Dictionary<string, string>> Values(ModelResult r) =>
        r.Resolution is { } res && res.TryGetValue("values", out var v) && v is IEnumerable<Dictionary<string, string>> list ? list : [];

    private static (DateTimeOffset? Start, DateTimeOffset? End) Resolve(ModelResult r, DateTimeOffset at, bool recurring, bool guarded)
    {
        var today = new DateTimeOffset(at.Date, at.Offset);
        var latest = at + Grace;
        var candidates = new List<(DateTimeOffset? Start, DateTimeOffset? End)>(2);
        foreach (var v in Values(r))
        {
            if (guarded && v.GetValueOrDefault("isLunar") == "True")
            {
                continue; // "春节", "中秋": the recognizer gives the lunar month and day as if they were Gregorian
            }

            var type = v.GetValueOrDefault("type");
            switch (type)
            {
                case "date":
                    if (Date(v.GetValueOrDefault("value"), at) is { } d)
                    {
                        candidates.Add((d, d.AddDays(1)));
                    }

                    break;
                case "datetime":
                    if (DateTimeValue(v.GetValueOrDefault("value"), at) is { } dt)
                    {
                        candidates.Add((dt, null));
                    }

                    break;
                case "time":
                    if (Clock(v.GetValueOrDefault("value")) is { } t)
                    {
                        var point = today + t;
                        candidates.Add((!recurring && point > latest ? point.AddDays(-1) : point, null));
                    }

                    break;
                case "daterange":
                case "datetimerange":
                    var s = Date(v.GetValueOrDefault("start"), at) ?? DateTimeValue(v.GetValueOrDefault("start"), at);
                    var e = Date(v.GetValueOrDefault("end"), at) ?? DateTimeValue(v.GetValueOrDefault("end"), at);
                    if (type == "daterange" && v.GetValueOrDefault("timex") is ['(', .., 'D', ')'] timexRange && timexRange.Contains('X') && e is not null)
                    {
                        // "周一到周五", "10月1日到10月7日" (named ends, written with X in the timex): the recognizer ends at the
                        // last day's midnight, ours after that day. "最近一周" / "前两天" end today, as the recognizer says.
                        e = e.Value.AddDays(1);
                    }

                    if (s is not null || e is not null)
                    {
                        candidates.Add((s, e));
                    }

                    break;
                case "timerange":
                    if (Clock(v.GetValueOrDefault("start")) is { } ts && Clock(v.GetValueOrDefault("end")) is { } te)
                    {
                        var from = today + ts;
                        var to = today + te;
                        if (to <= from)
                        {
                            to = to.AddDays(1);
                        }

                        if (!recurring && from > latest)
                        {
                            (from, to) = (from.AddDays(-1), to.AddDays(-1));
                        }

                        candidates.Add((from, to));
                    }

                    break;
                case "set":
                    // "每天早上7点" → timex T07; "每天" alone (P1D) names no time.
                    if (v.GetValueOrDefault("timex") is ['T', ..] timex && Clock(timex[1..]) is { } st)
                    {
                        candidates.Add((today + st, null));
                    }

                    break;
            }
        }

        if (guarded)
        {
            candidates.RemoveAll(c => (c.Start ?? c.End) < Earliest);
        }

        if (candidates.Count == 0)
        {
            return (null, null);
        }

        // The latest candidate that has begun (a report is about the past), else the earliest still to come.
        var past = candidates.Where(c => (c.Start ?? c.End) <= latest).ToList();
        return past.Count > 0 ? past.MaxBy(c => c.Start ?? c.End) : candidates.MinBy(c => c.Start ?? c.End);
    }

    private static DateTimeOffset? Date(string? value, DateTimeOffset at) =>
        value is { Length: 10 } && System.DateTime.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? new DateTimeOffset(d, at.Offset)
            : null;

    private static DateTimeOffset? DateTimeValue(string? value, DateTimeOffset at) =>
        value is { Length: 19 } && System.DateTime.TryParseExact(value, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? new DateTimeOffset(d, at.Offset)
            : null;

    // "15:30:00" (a resolution value) or "07", "07:30" (a timex after its 'T').
    private static TimeSpan? Clock(string? value)
    {
        if (value is null)
        {
            return null;
        }

        string[] formats = ["hh\\:mm\\:ss", "hh\\:mm", "hh"];
        return TimeSpan.TryParseExact(value, formats, CultureInfo.InvariantCulture, out var t) && t < TimeSpan.FromDays(1) ? t : null;
    }
}
