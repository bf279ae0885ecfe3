using System.Text.RegularExpressions;

namespace CommunityBot.Understanding.Extractors;

/// <summary>
/// Phone numbers from Microsoft.Recognizers.Text's Sequence recognizer (zh-CN), written the way
/// <see cref="PhoneExtractor"/> writes them: a mobile as its 11 digits without +86/0086, a landline as area code,
/// '-', local number. The recognizer proposes any digit run that might be dialled (order numbers, dates, a bare
/// "66001234" all score 0.3–0.6, the same as real phones), so <c>guarded</c> keeps only what is a Chinese mobile or
/// landline by its digits and is not labelled as an order, ID or code nor written as an amount — our rules.
/// </summary>
public static partial class RecognizedPhones
{
    public static List<PhoneExtractor.Match> Extract(string folded, bool guarded)
    {
        var found = new List<PhoneExtractor.Match>();
        foreach (var r in ChineseRecognizers.Phone.Parse(folded))
        {
            var length = r.End + 1 - r.Start;
            var phone = Normalize(r.Text, out var kind);
            if (phone.Length == 0)
            {
                continue;
            }

            if (guarded && (kind == Kind.Other
                || (kind == Kind.Local && !PhoneExtractor.IsAfterPhoneLabel(folded, r.Start))
                || PhoneExtractor.IsLabelledAsOther(folded, r.Start)
                || PhoneExtractor.IsAmount(folded, r.Start + length)))
            {
                continue;
            }

            if (!found.Exists(f => f.Phone == phone))
            {
                found.Add(new PhoneExtractor.Match(phone, r.Start, length));
            }
        }

        return found;
    }

    private enum Kind
    {
        Mobile,
        Landline,
        Local,
        Other,
    }

    private static string Normalize(string raw, out Kind kind)
    {
        var digits = new string(raw.Where(char.IsAsciiDigit).ToArray());
        var international = raw.TrimStart().StartsWith('+') || digits.StartsWith("0086", StringComparison.Ordinal);
        if (digits.StartsWith("0086", StringComparison.Ordinal))
        {
            digits = digits[4..];
        }
        else if (digits.StartsWith("86", StringComparison.Ordinal) && (international || digits.Length == 13))
        {
            digits = digits[2..];
        }

        if (Mobile().IsMatch(digits))
        {
            kind = Kind.Mobile;
            return digits;
        }

        // "+86 371 66001234" drops the trunk 0 that a number dialled inside China carries.
        if (international && digits.Length is >= 9 and <= 11 && digits[0] != '0')
        {
            digits = "0" + digits;
        }

        if (digits.Length is >= 10 and <= 12 && digits[0] == '0' && digits[1] != '0')
        {
            var areaLength = digits[1] is '1' or '2' ? 3 : 4;
            var local = digits[areaLength..];
            kind = local.Length is >= 7 and <= 8 && local[0] is >= '2' and <= '9' ? Kind.Landline : Kind.Other;
            return digits[..areaLength] + "-" + local;
        }

        kind = digits.Length is >= 7 and <= 8 && digits[0] is >= '2' and <= '9' ? Kind.Local : Kind.Other;
        return digits;
    }

    [GeneratedRegex("^1[3-9][0-9]{9}$", RegexOptions.CultureInvariant)]
    private static partial Regex Mobile();
}
