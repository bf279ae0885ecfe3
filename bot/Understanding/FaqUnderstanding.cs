using System.Collections.Frozen;
using System.Diagnostics;
using CommunityBot.Dialogs.Directory;
using CommunityBot.Dialogs.Understanding;
using CommunityBot.Faq;
using CommunityBot.Understanding.Nlu;

namespace CommunityBot.Understanding;

/// <summary>
/// Understands a message with the FAQ matcher and the intent/category models. The FAQ result is always filled
/// in; the intent says what the resident wants. A question-shaped complaint ("暖气不热怎么办") is a grievance
/// that still carries the FAQ answer, so the assistant answers and offers to file a report in one reply.
/// </summary>
public sealed class FaqUnderstanding(
    FaqMatcher matcher, IFaqEntries entries, MessageClassifier? classifier = null, NluOptions? nluOptions = null)
    : IUnderstanding, IFaqAnswers
{
    // Whole messages that are only a greeting or thanks: certain without a model.
    private static readonly FrozenSet<string> Chitchat = new[]
    {
        "你好", "您好", "hi", "hello", "在吗", "在不在", "谢谢", "多谢", "谢谢你", "谢谢您", "感谢", "好的", "好", "嗯", "哦",
        "早", "早上好", "晚上好", "下午好", "再见", "拜拜", "辛苦了", "ok", "收到",
    }.ToFrozenSet(StringComparer.Ordinal);

    private readonly double _categoryThreshold = (nluOptions ?? new NluOptions()).CategoryThreshold;

    /// <summary>When set, each stage's time is added to it (<c>classify --stats</c>); the server leaves it null.</summary>
    public UnderstandingTimings? Timings { get; init; }

    public MessageUnderstanding Understand(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new MessageUnderstanding { Text = text, Intent = Intent.Other };
        }
        var started = Stopwatch.GetTimestamp();
        // Emoji or punctuation alone ("👍", "？") reads as chit-chat, not as a question.
        var compact = string.Concat(ChineseTokenizer.Words(text));
        var chitchat = compact.Length == 0 || Chitchat.Contains(compact) || Chitchat.Contains(compact.TrimEnd('啊', '呀', '哈', '了'));
        Timings?.AddChitchat(started);
        if (chitchat)
        {
            return new MessageUnderstanding { Text = text, Intent = Intent.Chitchat };
        }
        started = Stopwatch.GetTimestamp();
        var allocated = UnderstandingTimings.Allocated(Timings);
        var match = matcher.Match(text);
        Timings?.AddFaq(started, allocated);
        var hasFaq = match.Answer is not null || match.Suggestions.Count > 0;
        started = Stopwatch.GetTimestamp();
        allocated = UnderstandingTimings.Allocated(Timings);
        var nlu = classifier?.Classify(text) ?? new NluClassification(IntentRules.Guess(text), 0, null, 0, [], FromModel: false);
        Timings?.AddNlu(started, allocated);
        var intent = nlu.Intent switch
        {
            Intent.Grievance or Intent.Status => nlu.Intent,
            // A question-shaped complaint the knowledge base answers ("暖气不热怎么办") is still a grievance: the reply
            // gives the answer and offers to file a report.
            _ when hasFaq && IntentRules.NamesProblem(text) => Intent.Grievance,
            // A knowledge-base answer beats a weak small-talk or "other" reading.
            _ when hasFaq => Intent.Faq,
            Intent.Chitchat => Intent.Chitchat,
            // "faq" with nothing in the knowledge base to offer is reported as other (the assistant cannot answer it).
            _ => Intent.Other,
        };
        var category = intent == Intent.Chitchat ? null : nlu.Category;
        return new MessageUnderstanding
        {
            Text = text,
            Intent = intent,
            Faq = match.Answer,
            Suggestions = match.Suggestions,
            Category = category,
            CategoryScore = category is null ? 0 : nlu.CategoryScore,
            CategoryUnsure = category is not null && nlu.CategoryScore < _categoryThreshold,
            CategoryCandidates = category is null ? [] : nlu.CategoryCandidates,
        };
    }

    public FaqAnswer? Find(string id) =>
        entries.Find(id) is { Enabled: true } entry ? new FaqAnswer(entry.Id, entry.Question, entry.Answer) : null;

    public FaqAnswer? AnswerFor(string id, GroupPlace? place) =>
        entries.Find(id) is { Enabled: true } entry
            ? new FaqAnswer(entry.Id, entry.Question, entry.AnswerFor(place?.CompoundId, place?.CommunityId))
            : null;
}
