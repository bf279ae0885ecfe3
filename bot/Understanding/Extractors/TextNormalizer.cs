namespace CommunityBot.Understanding.Extractors;

/// <summary>
/// Folds what residents' keyboards and voice input produce into plain ASCII where it matters to the
/// extractors (full-width digits, letters, punctuation, ideographic space, dash variants).
/// The mapping is one char to one char, so an index into the folded text is an index into the original.
/// </summary>
public static class TextNormalizer
{
    public static string Fold(string text)
    {
        var needed = false;
        foreach (var c in text)
        {
            if (Map(c) != c)
            {
                needed = true;
                break;
            }
        }
        if (!needed)
        {
            return text;
        }
        return string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = Map(source[i]);
            }
        });
    }

    private static char Map(char c) => c switch
    {
        // U+FF01..U+FF5E are the full-width forms of U+0021..U+007E, in the same order.
        >= '\uFF01' and <= '\uFF5E' => (char)(c - 0xFEE0),
        '\u3000' => ' ',
        >= '\u2010' and <= '\u2015' => '-',
        '\u2212' => '-',
        _ => c,
    };
}
