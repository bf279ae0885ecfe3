using System.Text.RegularExpressions;
using CommunityBot.Dialogs.Understanding;

namespace CommunityBot.Understanding.Extractors;

/// <summary>
/// Finds counts of things: "两户", "3次", "好几辆车", "十几个人". Vague amounts take their lower bound
/// ("好几" → 3, "十几" → 11); the unit is the measure word ("辆", "户"), not the noun after it.
/// Runs on text whose phone, place and time spans are masked, so "3号楼" or "三天" are never counts.
/// </summary>
public static partial class CountExtractor
{
    public static List<CountDetail> Extract(string original, string masked)
    {
        var found = new List<CountDetail>();
        foreach (Match m in Count().Matches(masked))
        {
            if (ChineseNumber.ParseAtLeast(m.Groups["n"].Value) is not (> 0 and <= 100_000 and var value))
            {
                continue;
            }
            var unit = m.Groups["u"].Value;
            if (value == 1 && unit == "个")
            {
                continue; // "一个问题": an article, not a count
            }
            found.Add(new CountDetail(value, unit, original.Substring(m.Index, m.Length)));
        }
        return found;
    }

    [GeneratedRegex(@"(?<![0-9零〇一二两三四五六七八九十百千万几好.])(?<n>[0-9]+|[一二两三四五六七八九十百千万几]+|好几)(?:多|来)?(?<u>户|家|次|回|遍|辆|台|只|条|棵|盏|根|处|位|名|个人|人|袋|箱|堆|块|个)", RegexOptions.CultureInvariant)]
    private static partial Regex Count();
}
