namespace CommunityBot.Tickets;

/// <summary>
/// What a create did: opened <see cref="Ticket"/> (numbered), or, when <see cref="Opened"/> is false, found that the
/// report's submission had already opened it (a redelivery, filed on this instance or another) and wrote nothing.
/// </summary>
public sealed record TicketCreation(Ticket Ticket, bool Opened);
