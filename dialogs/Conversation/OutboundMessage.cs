namespace CommunityBot.Dialogs.Conversation;

/// <summary>A reply or notification, in channel-neutral form; channel clients render the buttons their own way.</summary>
public sealed record OutboundMessage
{
    public string Text { get; init; } = "";
    public IReadOnlyList<CardAction> Buttons { get; init; } = [];
    /// <summary>Optional card title (worker cards); plain replies leave it empty.</summary>
    public string? Title { get; init; }
    /// <summary>Pictures shown with the text (a worker's closing photo); every channel client delivers them.</summary>
    public IReadOnlyList<OutboundAttachment> Attachments { get; init; } = [];

    public static OutboundMessage Plain(string text) => new() { Text = text };

    public static OutboundMessage WithButtons(string text, IEnumerable<CardAction> buttons) =>
        new() { Text = text, Buttons = buttons.ToList() };
}

/// <summary>A button: what it shows and the value that comes back when it is pressed.</summary>
public sealed record CardAction(string Title, string Value);
