using CommunityBot.Dialogs.Conversation;

namespace CommunityBot.Dialogs.Engine;

/// <summary>
/// What is remembered about one resident between turns (Bot Framework's private conversation state):
/// the active dialog, the step it is waiting on, its own data and the prompt it asked.
/// </summary>
public sealed class DialogState
{
    public string DialogId { get; set; } = "";
    public string Step { get; set; } = "";
    /// <summary>The dialog's own state object, as JSON.</summary>
    public string Data { get; set; } = "{}";
    public PromptState? Prompt { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    /// <summary>Whose dialog this is, by the user id and the name the channel shows (to tell a bystander whose question a button is).</summary>
    public string OwnerId { get; set; } = "";
    public string OwnerName { get; set; } = "";
    public DateTimeOffset LastActive { get; set; }
}

/// <summary>The prompt a dialog is waiting on, persisted so the next turn can validate the answer.</summary>
public sealed class PromptState
{
    public PromptKind Kind { get; set; }
    public string Text { get; set; } = "";
    public string? RetryText { get; set; }
    public List<CardAction> Choices { get; set; } = [];
    public int Attempts { get; set; }
    public int MaxAttempts { get; set; } = 3;
    public bool AllowOtherInput { get; set; }
    public bool Optional { get; set; }
    public int MinLength { get; set; } = 1;
    public int MaxLength { get; set; } = 500;
    public bool AcceptsAttachments { get; set; }
}
