namespace CommunityBot.Channels;

/// <summary>
/// Bounds a message's raw text before a mapper runs any regex or scan over it (a channel may send up to its body
/// limit, hundreds of KB). The turn pipeline refuses text over <c>Turns:MaxTextLength</c> anyway; the mappers only
/// need to hand it something just over the limit.
/// </summary>
public static class ChannelText
{
    /// <summary>
    /// Room for the markup around mentions on top of the length limit ("&lt;at&gt;小灵通&lt;/at&gt; ", "@小灵通 "): text
    /// up to the limit plus this is cleaned as usual, as the cleaning may bring it under the limit.
    /// </summary>
    public const int MentionAllowance = 256;

    /// <summary>True when <paramref name="text"/> is too long to be cleaned: no cleaning could bring it under the limit.</summary>
    public static bool IsOverLong(string text, int maxTextLength) => text.Length > maxTextLength + MentionAllowance;

    /// <summary>
    /// The first <paramref name="maxTextLength"/> + 1 characters (not splitting a surrogate pair), left uncleaned:
    /// enough for the pipeline to see the message is over the limit and ask the resident to shorten it.
    /// </summary>
    public static string Cut(string text, int maxTextLength)
    {
        var length = Math.Min(text.Length, maxTextLength + 1);
        if (length < text.Length && char.IsHighSurrogate(text[length - 1]))
        {
            length++;
        }

        return text[..length];
    }

    /// <summary>The text itself when it can be cleaned, else <see cref="Cut"/>; for channels whose cleaning is cheap.</summary>
    public static string Bound(string text, int maxTextLength) => IsOverLong(text, maxTextLength) ? Cut(text, maxTextLength) : text;
}
