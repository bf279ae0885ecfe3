using CommunityBot.Dialogs.Conversation;

namespace CommunityBot.Channels.WeCom;

/// <summary>
/// A button_interaction template card for a grid worker's app chat (protocols B.1.5/B.2.4). Pressing a button
/// calls back with <c>event_key</c> = the button's value; <paramref name="TaskId"/> is ≤128 bytes of [0-9a-zA-Z_-@], unique per app.
/// </summary>
public sealed record WeComTemplateCard(string TaskId, string Title, string? Description, IReadOnlyList<CardAction> Buttons);
