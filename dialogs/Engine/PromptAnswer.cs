using CommunityBot.Dialogs.Conversation;

namespace CommunityBot.Dialogs.Engine;

/// <summary>A validated answer to a prompt, typed by the prompt's kind.</summary>
public sealed record PromptAnswer
{
    /// <summary>The resident's text as sent (without the @mention).</summary>
    public string Text { get; init; } = "";
    /// <summary>For a choice: the chosen button.</summary>
    public CardAction? Choice { get; init; }
    /// <summary>For a confirm: yes or no.</summary>
    public bool? Confirmed { get; init; }
    /// <summary>For an attachment prompt: what was sent (empty when skipped).</summary>
    public IReadOnlyList<InboundAttachment> Attachments { get; init; } = [];
    public bool Skipped { get; init; }
}
