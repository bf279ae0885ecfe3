namespace CommunityBot.Understanding.Matching;

/// <summary>
/// Cheap signals that two questions look alike but mean different things: one is negated and the other is not
/// ("能" vs "不能", "有" vs "没有"), or they name different numbers ("3号楼" vs "5号楼", "10月" vs "11月").
/// These are what hard negatives look like, so the matcher turns them into penalties.
/// </summary>
public static class Mismatch
{
    // A word that starts with one of these negates the clause (不能, 没有, 未满足, 别, 无法, 非).
    private const string NegationStarts = "不没未别无非莫勿";

    // Words that start with a negation character but do not negate ("不错" is praise, "无论" is a conjunction).
    private static readonly HashSet<string> NotNegations = ["不错", "无论", "不过", "非常", "不管", "不然", "不如", "无聊", "别人", "别的", "别墅", "没事"];

    private const string Digits = "零〇一二两三四五六七八九十百千万";

    // A Chinese numeral counts as a number only before a measure word; elsewhere "一" is usually not one
    // ("一下", "一般", "一直").
    private const string MeasureWords = "号楼栋幢层单元室户月日年岁期天周点时分秒元块个次条张期位名";

    /// <summary>True when the words of exactly one side contain a negation.</summary>
    public static bool Negation(IReadOnlyList<string> a, IReadOnlyList<string> b) => IsNegated(a) != IsNegated(b);

    /// <summary>True when both sides name numbers and the numbers differ.</summary>
    public static bool Number(string a, string b)
    {
        var x = Numbers(a);
        if (x.Count == 0)
        {
            return false;
        }
        var y = Numbers(b);
        return y.Count > 0 && !x.SetEquals(y);
    }

    public static bool IsNegated(IReadOnlyList<string> words)
    {
        var negated = false;
        foreach (var w in words)
        {
            if (NegationStarts.Contains(w[0]) && !NotNegations.Contains(w))
            {
                // Two negations ("不是不能") cancel out.
                negated = !negated;
            }
        }
        return negated;
    }

    /// <summary>The numbers a text names, Arabic or Chinese (the latter only before a measure word).</summary>
    public static HashSet<long> Numbers(string text)
    {
        var numbers = new HashSet<long>();
        for (var i = 0; i < text.Length;)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c))
            {
                long value = 0;
                var start = i;
                while (i < text.Length && char.IsAsciiDigit(text[i]) && i - start < 15)
                {
                    value = value * 10 + (text[i] - '0');
                    i++;
                }
                numbers.Add(value);
            }
            else if (Digits.Contains(c))
            {
                var start = i;
                while (i < text.Length && Digits.Contains(text[i]))
                {
                    i++;
                }
                if (i < text.Length && MeasureWords.Contains(text[i]) && ChineseNumeral(text.AsSpan(start, i - start)) is { } value)
                {
                    numbers.Add(value);
                }
            }
            else
            {
                i++;
            }
        }
        return numbers;
    }

    /// <summary>Reads a Chinese numeral such as 三, 十一, 二十五, 一百零八, 两千; null when it is not one.</summary>
    public static long? ChineseNumeral(ReadOnlySpan<char> s)
    {
        long total = 0, section = 0, digit = -1;
        foreach (var c in s)
        {
            var d = "零〇一二三四五六七八九".IndexOf(c);
            if (c == '两')
            {
                d = 2;
            }
            else if (d >= 1)
            {
                d = d == 1 ? 0 : d - 1; // 〇 and 零 both mean zero, so the indexes after them are one too high
            }
            if (d >= 0)
            {
                digit = d;
                continue;
            }
            var unit = c switch { '十' => 10, '百' => 100, '千' => 1000, '万' => 10000, _ => 0 };
            if (unit == 0)
            {
                return null;
            }
            if (unit == 10000)
            {
                total = (total + section + Math.Max(digit, 0)) * 10000;
                section = 0;
            }
            else
            {
                section += (digit < 0 ? 1 : digit) * unit;
            }
            digit = -1;
        }
        return total + section + Math.Max(digit, 0);
    }
}
