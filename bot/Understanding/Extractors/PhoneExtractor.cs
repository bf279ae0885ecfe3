using System.Text.RegularExpressions;

namespace CommunityBot.Understanding.Extractors;

/// <summary>
/// Finds Chinese phone numbers in folded text (<see cref="TextNormalizer.Fold"/>): mobiles ("138 1234 5678",
/// "+86 13812345678"), landlines with an area code ("0371-66001234", "(0371)66001234"), and bare 7–8 digit local
/// numbers only right after a word that says it is a phone ("座机66001234"). A longer digit run (ID card, order
/// number), an amount ("13800000000元") or a number labelled as an order/ID is not a phone.
/// </summary>
public static partial class PhoneExtractor
{
    /// <summary>A phone found: its normalised form (digits and '-') and where it was.</summary>
    public readonly record struct Match(string Phone, int Index, int Length);

    public static List<Match> Extract(string folded)
    {
        folded = FoldSpokenDigits(folded);
        var found = new List<Match>();
        foreach (System.Text.RegularExpressions.Match m in Mobile().Matches(folded))
        {
            if (IsLabelledAsOther(folded, m.Index) || IsAmount(folded, m.Index + m.Length))
            {
                continue;
            }
            Add(found, new Match(Digits(m.Groups["n"].Value), m.Index, m.Length));
        }
        foreach (System.Text.RegularExpressions.Match m in Landline().Matches(folded))
        {
            if (Overlaps(found, m.Index, m.Length) || IsLabelledAsOther(folded, m.Index) || IsAmount(folded, m.Index + m.Length))
            {
                continue;
            }
            var area = m.Groups["area"].Value;
            var local = Digits(m.Groups["local"].Value);
            if (area.Length == 0)
            {
                // Written without a separator ("037166001234"): Beijing (010) and the 02x cities have 3-digit codes, the rest 4.
                var all = Digits(m.Groups["run"].Value);
                var areaLength = all[1] is '1' or '2' ? 3 : 4;
                area = all[..areaLength];
                local = all[areaLength..];
                if (local.Length is < 7 or > 8)
                {
                    continue;
                }
            }
            Add(found, new Match(area + "-" + local, m.Index, m.Length));
        }
        foreach (System.Text.RegularExpressions.Match m in LocalAfterLabel().Matches(folded))
        {
            var g = m.Groups["n"];
            if (Overlaps(found, g.Index, g.Length) || IsAmount(folded, g.Index + g.Length))
            {
                continue;
            }
            Add(found, new Match(Digits(g.Value), g.Index, g.Length));
        }
        found.Sort(static (a, b) => a.Index.CompareTo(b.Index));
        return found;
    }

    /// <summary>
    /// "幺三八一二三四五六七八" as typed or dictated digit by digit becomes "13812345678" (one char for one, so
    /// indexes still hold). Only runs of at least 7 digits (spaces and dashes between allowed) are touched;
    /// "两" and the multipliers ("十", "百") never occur in a number read out digit by digit.
    /// </summary>
    internal static string FoldSpokenDigits(string text)
    {
        char[]? chars = null;
        var i = 0;
        while (i < text.Length)
        {
            if (SpokenDigit(text[i]) < 0)
            {
                i++;
                continue;
            }
            var start = i;
            var digits = 0;
            var spoken = false;
            var last = i;
            while (i < text.Length && (SpokenDigit(text[i]) >= 0 || (text[i] is ' ' or '-' && digits > 0)))
            {
                if (SpokenDigit(text[i]) >= 0)
                {
                    digits++;
                    spoken |= text[i] is not (>= '0' and <= '9');
                    last = i;
                }
                i++;
            }
            if (spoken && digits >= 7)
            {
                chars ??= text.ToCharArray();
                for (var j = start; j <= last; j++)
                {
                    if (SpokenDigit(chars[j]) is >= 0 and var d)
                    {
                        chars[j] = (char)('0' + d);
                    }
                }
            }
        }
        return chars is null ? text : new string(chars);
    }

    private static int SpokenDigit(char c) => c == '两' ? -1 : ChineseNumber.Digit(c);

    private static void Add(List<Match> found, Match match)
    {
        foreach (var f in found)
        {
            if (f.Phone == match.Phone)
            {
                return;
            }
        }
        found.Add(match);
    }

    private static bool Overlaps(List<Match> found, int index, int length)
    {
        foreach (var f in found)
        {
            if (index < f.Index + f.Length && f.Index < index + length)
            {
                return true;
            }
        }
        return false;
    }

    private static string Digits(string s)
    {
        Span<char> buffer = stackalloc char[s.Length];
        var n = 0;
        foreach (var c in s)
        {
            if (c is >= '0' and <= '9')
            {
                buffer[n++] = c;
            }
        }
        return new string(buffer[..n]);
    }

    /// <summary>Whether a bare local number at <paramref name="index"/> follows a word that says it is a phone ("座机66001234").</summary>
    internal static bool IsAfterPhoneLabel(string folded, int index)
    {
        foreach (System.Text.RegularExpressions.Match m in LocalAfterLabel().Matches(folded))
        {
            if (m.Groups["n"].Index == index)
            {
                return true;
            }
        }
        return false;
    }

    // "订单号13812345678" or "身份证..." labels a number that merely looks like a phone.
    internal static bool IsLabelledAsOther(string text, int index)
    {
        var start = Math.Max(0, index - 6);
        var before = text.AsSpan(start, index - start);
        foreach (var label in OtherLabels)
        {
            if (before.Contains(label, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    private static readonly string[] OtherLabels = ["单号", "订单", "编号", "身份证", "卡号", "账号", "账户", "工单", "快递单", "取件码", "验证码", "户号"];

    internal static bool IsAmount(string text, int end)
    {
        while (end < text.Length && text[end] == ' ')
        {
            end++;
        }
        if (end >= text.Length)
        {
            return false;
        }
        // "13800000000元", "1.5%"; a full stop after a number ends the sentence, a decimal point has a digit after it.
        return text[end] is '元' or '块' or '万' or '%' || (text[end] == '.' && end + 1 < text.Length && text[end + 1] is >= '0' and <= '9');
    }

    // Optional +86/0086/86 prefix; 1[3-9] then 9 digits with at most one space or dash between any two;
    // no digit (or ID-card X) right before or after.
    [GeneratedRegex(@"(?<![0-9])(?:(?:\+|00)?86[ -]?)?(?<n>1[3-9][0-9](?:[ -]?[0-9]){8})(?![0-9Xx])", RegexOptions.CultureInvariant)]
    private static partial Regex Mobile();

    [GeneratedRegex(@"(?<![0-9])(?:(?:\((?<area>0[1-9][0-9]{1,2})\)|(?<area>0[1-9][0-9]{1,2})[ -])[ ]?(?<local>[2-9][0-9]{2,3}[ -]?[0-9]{4})|(?<run>0[1-9][0-9]{9,10}))(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex Landline();

    [GeneratedRegex(@"(?:电话|座机|固话|号码|打)(?:是|为|号码|:|：| |号)*(?<![0-9])(?<n>[2-9][0-9]{6,7})(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex LocalAfterLabel();
}
