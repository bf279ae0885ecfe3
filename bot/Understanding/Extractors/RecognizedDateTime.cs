using System.Globalization;
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
/// <c>guarded</c> adds our vetoes for the recognizer's false positives on residents' words, found on the table tests:
/// "有一点吵" is not 01:00, "一年1200" and "一天多少钱" are rates and "一天到晚" an idiom, not durations, "前两天" is
/// a day, and a lunar holiday ("春节") is not the Gregorian date of its lunar month and day. Without it the results are the recognizer's own (the "recognizers" column in eval/README.md).
/// </para>
/// </summary>
public static class RecognizedDateTime
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
            if (type is "duration" or null || (guarded && IsFalseClock(r)))
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

    /// <summary>The first duration the results name ("三天" → 3 days), or null.</summary>
    public static (TimeSpan Value, int Start, int End)? Duration(IReadOnlyList<ModelResult> results, string folded, bool guarded)
    {
        foreach (var r in results)
        {
            if (Type(r) != "duration" || Values(r).FirstOrDefault() is not { } v || !v.TryGetValue("value", out var seconds)
                || !double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) || s <= 0)
            {
                continue;
            }

            var end = r.End + 1;
            if (guarded && IsRateOrIdiom(folded, r.Start, end))
            {
                continue;
            }

            return (TimeSpan.FromSeconds(s), r.Start, end);
        }

        return null;
    }

    private static bool IsRateOrIdiom(string folded, int start, int end)
    {
        var after = folded.AsSpan(end);
        if (!after.IsEmpty && (after[0] is >= '0' and <= '9' || after.StartsWith("多少") || after.StartsWith("到晚")))
        {
            return true;
        }

        return start > 0 && folded[start - 1] == '前'; // "前两天": a couple of days ago
    }

    // "一点" / "两点" with nothing around them: "有一点吵", "声音小一点".
    private static bool IsFalseClock(ModelResult r) => Type(r) == "time" && r.Text is "一点" or "两点" or "二点";

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
                    if (type == "daterange" && v.GetValueOrDefault("timex") is ['(', ..] timexRange && timexRange.Contains('X') && e is not null)
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
