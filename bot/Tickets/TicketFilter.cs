namespace CommunityBot.Tickets;

/// <summary>
/// What the console's ticket list asks for; null means "any". <see cref="GridIds"/> and <see cref="HandlerIds"/>
/// scope the list to what the viewer may see (a community's grids and staff, a worker's own tickets).
/// </summary>
public sealed record TicketFilter
{
    public TicketStatus? Status { get; init; }
    public string? Category { get; init; }
    public string? GridId { get; init; }
    /// <summary>Where the ticket sits now (<see cref="Ticket.CurrentLevel"/>): handled at, or escalated to, this level.</summary>
    public TicketLevel? Level { get; init; }
    public DateTime? CreatedFromUtc { get; init; }
    /// <summary>Exclusive upper bound.</summary>
    public DateTime? CreatedBeforeUtc { get; init; }
    /// <summary>Only tickets in one of these grids, or (with <see cref="HandlerIds"/>) handled by one of those people.</summary>
    public IReadOnlyCollection<string>? GridIds { get; init; }
    /// <summary>Only tickets assigned to, or co-handled by, one of these workers (or in <see cref="GridIds"/>).</summary>
    public IReadOnlyCollection<string>? HandlerIds { get; init; }
    /// <summary>Matching tickets to pass over first, newest first (paging).</summary>
    public int Skip { get; init; }
    public int Limit { get; init; } = 100;
}
