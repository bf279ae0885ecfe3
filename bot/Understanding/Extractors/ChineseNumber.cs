namespace CommunityBot.Understanding.Extractors;

/// <summary>
/// Parses the numbers residents type: Chinese numerals ("三十五", "一百零八", "两千三", "廿三"), digit-by-digit
/// forms ("幺三八", "二〇二四"), digits with a Chinese multiplier ("2千", "1.5万") and full-width digits.
/// Vague amounts ("十几", "好几") are not numbers to <see cref="Parse"/>; <see cref="ParseAtLeast"/> gives their lower bound.
/// </summary>
public static class ChineseNumber
{
    /// <summary>Characters that can appear in a number this class parses (for building regexes).</summary>
    public const string Chars = "0-9.零〇一二两三四五六七八九十百千万亿幺廿卅";

    /// <summary>The exact value, or null when the text is not a number or is vague ("十几").</summary>
    public static decimal? Parse(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        if (text.IsEmpty || text.Length > 32)
        {
            return null;
        }
        Span<char> folded = stackalloc char[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            folded[i] = c is >= '０' and <= '９' ? (char)(c - '０' + '0') : c == '．' ? '.' : c;
        }
        return ParseFolded(folded);
    }

    /// <summary>The value as an int, or null when it is not a whole number that fits.</summary>
    public static int? ParseInt(ReadOnlySpan<char> text)
    {
        var value = Parse(text);
        return value is { } v && v == decimal.Truncate(v) && v is >= int.MinValue and <= int.MaxValue ? (int)v : null;
    }

    /// <summary>
    /// A lower bound for vague amounts as well as exact ones: "几" → 2, "好几" → 3, "十几" → 11, "几十" → 20,
    /// "二三十" → 20, "两三" → 2, "一百多" → 100 (the caller strips "多"). Null when it is not a number at all.
    /// </summary>
    public static int? ParseAtLeast(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        if (text.StartsWith("好几"))
        {
            // "好几天" means noticeably more than "几天"; 3 is the usual reading.
            return text.Length == 2 ? 3 : ParseAtLeast(string.Concat("三", text[2..]));
        }
        if (text.Contains('几'))
        {
            // Replace 几 by its smallest meaning: 1 after a multiplier ("十几" → 11), 2 otherwise ("几十" → 20).
            Span<char> copy = stackalloc char[text.Length];
            text.CopyTo(copy);
            for (var i = 0; i < copy.Length; i++)
            {
                if (copy[i] == '几')
                {
                    copy[i] = i > 0 && Multiplier(copy[i - 1]) > 0 ? '一' : '二';
                }
            }
            return ParseInt(copy);
        }
        // "两三" / "二三十" / "七八百": two adjacent digits give a range; take the first.
        if (text.Length >= 2 && text[0] is not (>= '0' and <= '9') && Digit(text[0]) is > 0 and var first && Digit(text[1]) == first + 1)
        {
            var rest = text[2..];
            if (rest.IsEmpty)
            {
                return first;
            }
            return ParseInt(string.Concat(text[..1], rest));
        }
        return ParseInt(text);
    }

    private static decimal? ParseFolded(ReadOnlySpan<char> s)
    {
        if (s.Contains('几'))
        {
            return null;
        }

        // Digit-by-digit ("幺三八", "二〇二四", "501"): no multipliers at all.
        var hasMultiplier = false;
        foreach (var c in s)
        {
            if (Multiplier(c) > 0 || c is '廿' or '卅')
            {
                hasMultiplier = true;
                break;
            }
        }
        if (!hasMultiplier)
        {
            return ParsePositional(s);
        }

        decimal total = 0;       // completed 亿/万 groups
        decimal section = 0;     // the part below 万
        decimal? current = null; // the digit (or ASCII number) waiting for its multiplier
        var lastMultiplier = 0m;
        var afterZero = false;
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (c is >= '0' and <= '9')
            {
                if (current is not null)
                {
                    return null;
                }
                var start = i;
                while (i < s.Length && (s[i] is >= '0' and <= '9' || s[i] == '.'))
                {
                    i++;
                }
                if (!decimal.TryParse(s[start..i], System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var n))
                {
                    return null;
                }
                current = n;
                continue;
            }
            if (c is '廿' or '卅')
            {
                if (current is not null)
                {
                    return null;
                }
                section += c == '廿' ? 20 : 30;
                lastMultiplier = 10;
                afterZero = false;
                i++;
                continue;
            }
            if (c is '零' or '〇')
            {
                if (current is not null)
                {
                    return null;
                }
                afterZero = true;
                i++;
                continue;
            }
            var digit = Digit(c);
            if (digit >= 0)
            {
                if (current is not null)
                {
                    return null; // "两三" is a range, not a number
                }
                current = digit;
                i++;
                continue;
            }
            var multiplier = Multiplier(c);
            if (multiplier == 0)
            {
                return null;
            }
            if (multiplier < 10_000)
            {
                // "十五" starts with an implicit one; "二十十" is not a number.
                if (current is null && (section != 0 || total != 0) && !afterZero && multiplier != 10)
                {
                    return null;
                }
                section += (current ?? 1) * multiplier;
            }
            else
            {
                section += current ?? 0;
                if (section == 0 && total == 0)
                {
                    return null;
                }
                total = multiplier == 100_000_000 ? (total + section) * multiplier : total + section * multiplier;
                section = 0;
            }
            current = null;
            lastMultiplier = multiplier;
            afterZero = false;
            i++;
        }
        if (current is { } tail)
        {
            // "一百五" = 150 and "三万五" = 35000: a last digit straight after a multiplier counts one place lower.
            section += !afterZero && lastMultiplier >= 100 && tail < 10 && tail == decimal.Truncate(tail)
                ? tail * (lastMultiplier / 10)
                : tail;
        }
        return total + section;
    }

    private static decimal? ParsePositional(ReadOnlySpan<char> s)
    {
        if (s.Contains('.'))
        {
            return decimal.TryParse(s, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : null;
        }
        if (s.Length > 18 || (s.Length > 1 && s.Contains('两')))
        {
            return null; // "两" is never read digit by digit: "两三" is a range
        }
        decimal value = 0;
        foreach (var c in s)
        {
            var d = c is >= '0' and <= '9' ? c - '0' : c is '零' or '〇' ? 0 : Digit(c);
            if (d < 0)
            {
                return null;
            }
            value = value * 10 + d;
        }
        return value;
    }

    /// <summary>0–9 for one Chinese or ASCII digit ("幺" is the phone-style one), otherwise -1.</summary>
    internal static int Digit(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        '零' or '〇' => 0,
        '一' or '幺' => 1,
        '二' or '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => -1,
    };

    private static decimal Multiplier(char c) => c switch
    {
        '十' => 10,
        '百' => 100,
        '千' => 1000,
        '万' => 10_000,
        '亿' => 100_000_000,
        _ => 0,
    };
}
