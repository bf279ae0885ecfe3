using System.Collections.Frozen;
using CommunityBot.Dialogs.Understanding;
using CommunityBot.Faq;

namespace CommunityBot.Understanding;

/// <summary>
/// Understands a message with the FAQ matcher alone (an intent model comes later): FAQ when it can answer or
/// suggest, chit-chat for a handful of greetings and thanks, otherwise other.
/// </summary>
public sealed class FaqUnderstanding(FaqMatcher matcher, FaqStore store) : IUnderstanding, IFaqAnswers
{
    // A small rule until the intent model exists: whole messages that are only a greeting or thanks.
    private static readonly FrozenSet<string> Chitchat = new[]
    {
        "你好", "您好", "hi", "hello", "在吗", "在不在", "谢谢", "多谢", "谢谢你", "谢谢您", "感谢", "好的", "好", "嗯", "哦",
        "早", "早上好", "晚上好", "下午好", "再见", "拜拜", "辛苦了", "ok", "收到",
    }.ToFrozenSet(StringComparer.Ordinal);

    public MessageUnderstanding Understand(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new MessageUnderstanding { Text = text, Intent = Intent.Other };
        }
        // Emoji or punctuation alone ("👍", "？") reads as chit-chat, not as a question.
        var compact = string.Concat(ChineseTokenizer.Words(text));
        if (compact.Length == 0 || Chitchat.Contains(compact) || Chitchat.Contains(compact.TrimEnd('啊', '呀', '哈', '了')))
        {
            return new MessageUnderstanding { Text = text, Intent = Intent.Chitchat };
        }
        var match = matcher.Match(text);
        return new MessageUnderstanding
        {
            Text = text,
            Intent = match.Answer is not null || match.Suggestions.Count > 0 ? Intent.Faq : Intent.Other,
            Faq = match.Answer,
            Suggestions = match.Suggestions,
        };
    }

    public FaqAnswer? Find(string id) =>
        store.Find(id) is { Enabled: true } entry ? new FaqAnswer(entry.Id, entry.Question, entry.Answer) : null;
}
