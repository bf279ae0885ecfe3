namespace CommunityBot.Dialogs.Tickets;

/// <summary>
/// What a worker's card shows about a ticket: the stored details, personal data included (the card goes to the handling
/// worker's private chat; <see cref="TicketMessages"/> leaves the personal fields out for any other audience).
/// </summary>
/// <param name="Place">The public place (compound, building, unit or landmark) without the room.</param>
/// <param name="ReporterPhone">The first reporter's phone; null when they left none.</param>
/// <param name="SignBy">The signing deadline in office time.</param>
/// <param name="Handler">Who holds the ticket now.</param>
public sealed record TicketCard(
    string Number,
    string Category,
    string Place,
    string? Room,
    string Description,
    string ReporterName,
    string? ReporterPhone,
    DateTimeOffset SignBy,
    string Handler);
