using System.Globalization;
using CommunityBot.Dialogs.Understanding;

namespace CommunityBot.Understanding.Extractors;

/// <summary>
/// Counts from Microsoft.Recognizers.Text's number recognizer (zh-CN): a number followed by the same measure words
/// <see cref="CountExtractor"/> takes. Kept for the evaluation only: the recognizer has no reading of vague amounts
/// ("十几个人" is 10 followed by 几, "好几辆" and "五六个人" are no number), which residents use all the time, so
/// the shipped extractor counts with its own rules (eval/README.md lists the rows).
/// </summary>
public static class RecognizedCounts
{
    private static readonly string[] Units = ["个人", "户", "家", "次", "回", "遍", "辆", "台", "只", "条", "棵", "盏", "根", "处", "位", "名", "人", "袋", "箱", "堆", "块", "个"];

    public static List<CountDetail> Extract(string original, string masked)
    {
        var found = new List<CountDetail>();
        foreach (var r in ChineseRecognizers.Number.Parse(masked))
        {
            if (r.Resolution?.GetValueOrDefault("value") is not string raw
                || !decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                || value != decimal.Truncate(value) || value is < 1 or > 100_000)
            {
                continue;
            }

            var after = r.End + 1;
            if (after < masked.Length && masked[after] is '多' or '来')
            {
                after++;
            }

            var unit = Units.FirstOrDefault(u => masked.AsSpan(after).StartsWith(u, StringComparison.Ordinal));
            if (unit is null || (value == 1 && unit == "个"))
            {
                continue;
            }

            found.Add(new CountDetail((int)value, unit, original[r.Start..(after + unit.Length)]));
        }

        return found;
    }
}
