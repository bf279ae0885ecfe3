namespace CommunityBot.Understanding.Nlu;

/// <summary>
/// The model's input row: the message pre-processed twice, as compact characters with punctuation and emoji (for character n-grams) and as
/// ICU words joined by spaces (for word n-grams). Digits become 0 so "3号楼" and "15号楼" look alike.
/// </summary>
public sealed class NluFeatureRow
{
    public string Chars { get; set; } = "";
    public string Words { get; set; } = "";
    public string Label { get; set; } = "";
    public float Weight { get; set; } = 1;

    public static NluFeatureRow From(string text, string label = "", float weight = 1)
    {
        var words = ChineseTokenizer.Words(text);
        for (var i = 0; i < words.Count; i++)
        {
            words[i] = Digits(words[i]);
        }
        return new NluFeatureRow
        {
            Chars = Digits(Compact(ChineseTokenizer.Normalize(text))),
            Words = string.Join(' ', words),
            Label = label,
            Weight = weight,
        };
    }

    // Punctuation and emoji stay in the characters: "？" and "😡" say something about intent.
    private static string Compact(string s) => s.Any(char.IsWhiteSpace) ? string.Concat(s.Where(c => !char.IsWhiteSpace(c))) : s;

    private static string Digits(string s)
    {
        if (!s.Any(char.IsAsciiDigit))
        {
            return s;
        }
        return string.Create(s.Length, s, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsAsciiDigit(source[i]) ? '0' : source[i];
            }
        });
    }
}

/// <summary>What the model writes: the winning label and one probability per label (in the model's label order).</summary>
public sealed class NluPrediction
{
    public string PredictedLabel { get; set; } = "";
    public float[] Score { get; set; } = [];
}
