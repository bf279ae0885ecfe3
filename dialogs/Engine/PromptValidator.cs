using CommunityBot.Dialogs.Conversation;

namespace CommunityBot.Dialogs.Engine;

/// <summary>Recognises a resident's answer to a prompt: choices by button, number or title; yes/no in everyday Chinese.</summary>
public static class PromptValidator
{
    private static readonly string[] Yes = ["是", "是的", "对", "对的", "好", "好的", "确认", "确定", "没问题", "可以", "嗯", "恩", "行", "提交", "y", "yes", "ok"];
    private static readonly string[] No = ["否", "不", "不是", "不对", "不用", "不要", "不行", "错了", "n", "no"];
    private static readonly string[] Skip = ["跳过", "没有", "不用", "不用了", "无", "没", "skip"];

    /// <summary>Returns the typed answer, or null when the message does not answer the prompt.</summary>
    public static PromptAnswer? Validate(PromptState prompt, InboundMessage message)
    {
        var text = Normalize(message.ButtonValue ?? message.Text);
        return prompt.Kind switch
        {
            // A text prompt's shortcut button (「跳过」) answers with its value, as if typed.
            PromptKind.Text => prompt.AcceptsAttachments && message.Attachments.Count > 0 && message.ButtonValue is null
                ? new PromptAnswer { Text = message.Text.Trim(), Attachments = message.Attachments }
                : ValidateText(prompt, (message.ButtonValue ?? message.Text).Trim()),
            PromptKind.Choice => MatchChoice(prompt.Choices, text) is { } choice
                ? new PromptAnswer { Text = message.Text, Choice = choice }
                : null,
            PromptKind.Confirm => ParseConfirm(text) is { } yes ? new PromptAnswer { Text = message.Text, Confirmed = yes } : null,
            PromptKind.Attachment => ValidateAttachment(prompt, message, text),
            _ => null,
        };
    }

    /// <summary>Trims spaces and the punctuation residents put around a short answer.</summary>
    public static string Normalize(string text) =>
        text.Trim().Trim('。', '！', '!', '.', '，', ',', '~', '～', '？', '?', ' ', '\u3000').ToLowerInvariant();

    public static bool? ParseConfirm(string normalized)
    {
        if (Yes.Contains(normalized, StringComparer.Ordinal))
        {
            return true;
        }

        return No.Contains(normalized, StringComparer.Ordinal) ? false : null;
    }

    private static PromptAnswer? ValidateText(PromptState prompt, string text) =>
        text.Length >= prompt.MinLength && text.Length <= prompt.MaxLength ? new PromptAnswer { Text = text } : null;

    private static CardAction? MatchChoice(IReadOnlyList<CardAction> choices, string text)
    {
        if (text.Length == 0)
        {
            return null;
        }

        var byValue = choices.FirstOrDefault(c => string.Equals(Normalize(c.Value), text, StringComparison.Ordinal)
            || string.Equals(Normalize(c.Title), text, StringComparison.Ordinal));
        if (byValue is not null)
        {
            return byValue;
        }

        // "2", "第2个", "２" pick by position, as people do under a numbered list.
        var digits = text.Where(char.IsDigit).Select(c => (int)char.GetNumericValue(c)).ToArray();
        if (digits.Length is 1 or 2 && text.Length <= 4)
        {
            var n = digits.Aggregate(0, (acc, d) => (acc * 10) + d);
            if (n >= 1 && n <= choices.Count)
            {
                return choices[n - 1];
            }
        }

        return null;
    }

    private static PromptAnswer? ValidateAttachment(PromptState prompt, InboundMessage message, string text)
    {
        if (message.Attachments.Count > 0)
        {
            return new PromptAnswer { Text = message.Text, Attachments = message.Attachments };
        }

        return prompt.Optional && Skip.Contains(text, StringComparer.Ordinal)
            ? new PromptAnswer { Text = message.Text, Skipped = true }
            : null;
    }
}
