using CommunityBot.Dialogs.Conversation;

namespace CommunityBot.Dialogs.Engine;

/// <summary>The kinds of question a dialog can ask; each validates the answer its own way.</summary>
public enum PromptKind
{
    Text,
    Choice,
    Confirm,
    Attachment,
}

/// <summary>
/// A question a dialog step asks. The engine sends it, validates the next answer against its kind and
/// re-asks with <see cref="RetryText"/> (or the question itself) when the answer does not fit.
/// </summary>
public sealed record Prompt
{
    public required PromptKind Kind { get; init; }
    public required string Text { get; init; }
    public string? RetryText { get; init; }
    public IReadOnlyList<CardAction> Choices { get; init; } = [];
    /// <summary>For a choice: an answer that is not one of the choices ends the dialog and is handled as a new message.</summary>
    public bool AllowOtherInput { get; init; }
    /// <summary>For an attachment: the resident may skip it ("跳过", "没有").</summary>
    public bool Optional { get; init; }
    public int MinLength { get; init; } = 1;
    public int MaxLength { get; init; } = 500;
    /// <summary>For a text: a photo answers it too, with or without text (a worker's closing note).</summary>
    public bool AcceptsAttachments { get; init; }

    /// <param name="buttons">Shortcuts shown with the question (e.g. 「跳过」); pressing one answers with its value as the text.</param>
    /// <param name="acceptsAttachments">A message with a photo answers it whatever its text (the text may be empty).</param>
    public static Prompt ForText(
        string text, string? retryText = null, int minLength = 1, int maxLength = 500, IEnumerable<CardAction>? buttons = null, bool acceptsAttachments = false) =>
        new()
        {
            Kind = PromptKind.Text,
            Text = text,
            RetryText = retryText,
            MinLength = minLength,
            MaxLength = maxLength,
            Choices = buttons?.ToList() ?? [],
            AcceptsAttachments = acceptsAttachments,
        };

    public static Prompt ForChoice(string text, IEnumerable<CardAction> choices, string? retryText = null, bool allowOtherInput = false) =>
        new() { Kind = PromptKind.Choice, Text = text, Choices = choices.ToList(), RetryText = retryText, AllowOtherInput = allowOtherInput };

    public static Prompt ForConfirm(string text, string? retryText = null) =>
        new()
        {
            Kind = PromptKind.Confirm,
            Text = text,
            RetryText = retryText ?? "请回复「是」或「否」。",
            Choices = [new CardAction("是", "是"), new CardAction("否", "否")],
        };

    public static Prompt ForAttachment(string text, bool optional, string? retryText = null) =>
        new()
        {
            Kind = PromptKind.Attachment,
            Text = text,
            Optional = optional,
            RetryText = retryText ?? (optional ? "请发一张照片，没有的话回复「跳过」。" : "请发一张照片。"),
            Choices = optional ? [new CardAction("跳过", "跳过")] : [],
        };

    internal PromptState ToState(int maxAttempts) => new()
    {
        Kind = Kind,
        Text = Text,
        RetryText = RetryText,
        Choices = Choices.ToList(),
        AllowOtherInput = AllowOtherInput,
        Optional = Optional,
        MinLength = MinLength,
        MaxLength = MaxLength,
        AcceptsAttachments = AcceptsAttachments,
        MaxAttempts = maxAttempts,
    };

    internal static OutboundMessage Render(PromptState state, bool retry)
    {
        var text = retry && state.RetryText is { Length: > 0 } ? state.RetryText : state.Text;
        return state.Choices.Count == 0 ? OutboundMessage.Plain(text) : OutboundMessage.WithButtons(text, state.Choices);
    }
}
