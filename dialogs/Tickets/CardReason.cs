namespace CommunityBot.Dialogs.Tickets;

/// <summary>Why a worker gets a ticket card; <see cref="TicketMessages"/> turns it into the card's title and note.</summary>
public abstract record CardReason
{
    private CardReason()
    {
    }

    /// <summary>A new ticket for its assignee.</summary>
    public sealed record NewTicket : CardReason;

    /// <summary>The resident's feedback reopened the ticket (重办).</summary>
    public sealed record Reopened(bool Fixed, bool Satisfied) : CardReason;

    /// <summary>A handler returned the ticket (退回) to the one who dispatches it again.</summary>
    public sealed record Returned(string By, string Note) : CardReason;

    /// <summary>A handler passed the ticket on (转派) to the card's recipient.</summary>
    public sealed record Transferred(string By, string Note) : CardReason;

    /// <summary>A handler asked the card's recipient to help (联动).</summary>
    public sealed record CoHandling(string By, string Note) : CardReason;

    /// <summary>In a take-over, the resident has waited <paramref name="Minutes"/> minutes without an answer from the worker.</summary>
    public sealed record ResidentWaiting(int Minutes, string WorkerName) : CardReason;

    /// <summary>催办: a deadline is close.</summary>
    /// <param name="Due">The deadline in office time.</param>
    public sealed record DeadlineNear(TicketDeadline Deadline, DateTimeOffset Due) : CardReason;

    /// <summary>督办: deadlines were missed and the ticket moved up to the card's recipient.</summary>
    public sealed record DeadlinesMissed(IReadOnlyList<TicketDeadline> Deadlines) : CardReason;
}
