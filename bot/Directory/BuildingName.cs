using System.Text.RegularExpressions;

namespace CommunityBot.Directory;

/// <summary>Canonical building names, so "3栋", "3号", "三号楼" and "3号楼" all mean "3号楼".</summary>
public static partial class BuildingName
{
    private const string Digits = "零一二三四五六七八九";

    /// <summary>"3号楼" for any common way of writing building 3; other names come back trimmed.</summary>
    public static string Normalize(string building)
    {
        var text = building.Trim();
        var match = NumberedBuilding().Match(text);
        if (!match.Success)
        {
            return text;
        }
        var number = match.Groups["n"].Value;
        return (char.IsAsciiDigit(number[0]) ? int.Parse(number, System.Globalization.CultureInfo.InvariantCulture) : ChineseNumber(number)) is int n and > 0
            ? $"{n}号楼"
            : text;
    }

    /// <summary>
    /// Expands a list such as "1-6号楼, 9号楼、10栋" (separators , ， 、 ; ；) into canonical names; null when an
    /// item is an impossible range.
    /// </summary>
    public static List<string>? ParseList(string text)
    {
        var result = new List<string>();
        foreach (var item in text.Split([',', '，', '、', ';', '；', '\n'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var range = Range().Match(item);
            if (range.Success)
            {
                var from = int.Parse(range.Groups["a"].Value, System.Globalization.CultureInfo.InvariantCulture);
                var to = int.Parse(range.Groups["b"].Value, System.Globalization.CultureInfo.InvariantCulture);
                if (from < 1 || to < from || to - from > 500)
                {
                    return null;
                }
                for (var n = from; n <= to; n++)
                {
                    result.Add($"{n}号楼");
                }
                continue;
            }
            result.Add(Normalize(item));
        }
        return result;
    }

    /// <summary>Writes names back compactly: runs of numbered buildings as "1-6号楼".</summary>
    public static string FormatList(IEnumerable<string> buildings)
    {
        var parts = new List<string>();
        int? runStart = null;
        var runEnd = 0;
        void Flush()
        {
            if (runStart is int s)
            {
                parts.Add(s == runEnd ? $"{s}号楼" : $"{s}-{runEnd}号楼");
            }
            runStart = null;
        }
        foreach (var building in buildings)
        {
            var match = Canonical().Match(building);
            if (match.Success && int.Parse(match.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture) is var n)
            {
                if (runStart is not null && n == runEnd + 1)
                {
                    runEnd = n;
                    continue;
                }
                Flush();
                runStart = n;
                runEnd = n;
                continue;
            }
            Flush();
            parts.Add(building);
        }
        Flush();
        return string.Join('、', parts);
    }

    private static int ChineseNumber(string text)
    {
        // 一 … 九十九: enough for building numbers.
        var ten = text.IndexOf('十');
        if (ten < 0)
        {
            return text.Length == 1 ? Digits.IndexOf(text[0]) : -1;
        }
        var tens = ten == 0 ? 1 : Digits.IndexOf(text[0]);
        var ones = ten == text.Length - 1 ? 0 : Digits.IndexOf(text[^1]);
        return tens < 0 || ones < 0 || text.Length > 3 ? -1 : tens * 10 + ones;
    }

    [GeneratedRegex(@"^(?<n>\d{1,4}|[一二三四五六七八九十]{1,3})\s*(号楼|号|栋|幢|座|楼)?$")]
    private static partial Regex NumberedBuilding();

    [GeneratedRegex(@"^(?<a>\d{1,4})\s*[-~～至到]\s*(?<b>\d{1,4})\s*(号楼|号|栋|幢|座|楼)?$")]
    private static partial Regex Range();

    [GeneratedRegex(@"^(?<n>\d{1,4})号楼$")]
    private static partial Regex Canonical();
}
