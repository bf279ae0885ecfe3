using System.Text.Json;
using CommunityBot.Dialogs.Engine;

namespace CommunityBot.Dialogs.Tickets;

/// <summary>
/// What a proactive turn about a ticket carries (the event's value): the ticket, the worker's closing note already
/// masked for the resident's audience, and the closing photos. The desk decides that a resident is asked; the router
/// starts the dialog that asks, in the resident's own turn.
/// </summary>
public sealed record TicketPrompt(string TicketNumber, string Note = "", IReadOnlyList<string>? Photos = null)
{
    /// <summary>The event of a closed ticket: the closing message and the "fixed? satisfied?" survey (<see cref="Feedback.FeedbackDialog"/>).</summary>
    public const string FeedbackEvent = "ticket.feedback";

    /// <summary>The event of a ticket filed in a group without a phone: ask for one privately (<see cref="ContactDialog"/>).</summary>
    public const string ContactEvent = "ticket.contact";

    public string ToJson() => JsonSerializer.Serialize(this, DialogJson.Options);

    /// <summary>The prompt in <paramref name="json"/>; null when it is missing, unreadable or names no ticket.</summary>
    public static TicketPrompt? Read(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<TicketPrompt>(json, DialogJson.Options) is { TicketNumber.Length: > 0 } prompt ? prompt : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
