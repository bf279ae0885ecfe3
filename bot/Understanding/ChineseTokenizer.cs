using System.Globalization;
using Icu;

namespace CommunityBot.Understanding;

/// <summary>
/// Splits Chinese (and mixed) text into normalised words with ICU's dictionary-based word break iterator,
/// and derives the character units the FAQ index also matches on.
/// </summary>
public static class ChineseTokenizer
{
    private static readonly Locale Chinese = new("zh");
    private static readonly Lock InitLock = new();
    private static bool _initialised;

    // ICU break iterators are not thread-safe, and creating one loads its dictionary (~50 µs),
    // so each thread keeps its own.
    [ThreadStatic]
    private static BreakIterator? _iterator;

    /// <summary>Full-width → half-width, lower case; everything else is kept as is.</summary>
    public static string Normalize(string text)
    {
        return string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                if (c >= '\uFF01' && c <= '\uFF5E')
                {
                    c = (char)(c - 0xFEE0);
                }
                else if (c == '\u3000')
                {
                    c = ' ';
                }
                span[i] = char.ToLowerInvariant(c);
            }
        });
    }

    /// <summary>The words of <paramref name="text"/>, normalised, without punctuation, spaces or emoji.</summary>
    public static List<string> Words(string text)
    {
        var words = new List<string>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return words;
        }
        var normalized = Normalize(text);
        var iterator = Iterator();
        iterator.SetText(normalized);
        var start = iterator.MoveFirst();
        for (var end = iterator.MoveNext(); end != BreakIterator.DONE; start = end, end = iterator.MoveNext())
        {
            // Rule status ≥ 100 means number, letter, kana or ideograph; below is punctuation, space, emoji.
            if (iterator.GetRuleStatus() >= (int)BreakIterator.UWordBreak.NUMBER)
            {
                words.Add(normalized[start..end]);
            }
        }
        return words;
    }

    /// <summary>
    /// Character units of already tokenised words: each CJK character on its own, each latin or digit word whole.
    /// </summary>
    public static List<string> Units(IReadOnlyList<string> words)
    {
        var units = new List<string>(words.Count * 2);
        foreach (var word in words)
        {
            if (IsCjk(word[0]))
            {
                var e = StringInfo.GetTextElementEnumerator(word);
                while (e.MoveNext())
                {
                    units.Add(e.GetTextElement());
                }
            }
            else
            {
                units.Add(word);
            }
        }
        return units;
    }

    private static bool IsCjk(char c) =>
        c is >= '\u3400' and <= '\u9FFF' or >= '\uF900' and <= '\uFAFF' || char.IsSurrogate(c);

    private static BreakIterator Iterator()
    {
        if (_iterator is { } iterator)
        {
            return iterator;
        }
        EnsureIcu();
        return _iterator = BreakIterator.CreateWordInstance(Chinese);
    }

    private static void EnsureIcu()
    {
        lock (InitLock)
        {
            if (!_initialised)
            {
                Wrapper.Init();
                _initialised = true;
            }
        }
    }
}
