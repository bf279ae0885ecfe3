namespace CommunityBot.Tickets;

/// <summary>
/// The tickets as the desk reads and writes them, on either storage provider (<see cref="LiteDbTicketRepository"/>,
/// <see cref="Storage.Postgres.PostgresTicketRepository"/>). Every write is one commit of the ticket together with its
/// <see cref="TicketWrite"/> (timer, outbox messages, proactive turns, photos, take-overs): a crash keeps all or none.
/// Whatever was written is woken (the outbox, the proactive turns, the photo fetch) once it is committed.
/// </summary>
public interface ITicketRepository
{
    Task<Ticket?> FindAsync(string number, CancellationToken cancellationToken);

    /// <summary>The ticket a submission (the channel's id of the message that said 提交) opened, if it did.</summary>
    Task<Ticket?> FiledBySubmissionAsync(string submissionKey, CancellationToken cancellationToken);

    /// <summary>Open tickets created at or after <paramref name="sinceUtc"/>, the newest first.</summary>
    Task<IReadOnlyList<Ticket>> OpenSinceAsync(DateTime sinceUtc, CancellationToken cancellationToken);

    /// <summary>"我的工单": the tickets the resident reported or joined, the newest first.</summary>
    Task<IReadOnlyList<Ticket>> ReportedByAsync(string reporterKey, CancellationToken cancellationToken);

    /// <summary>Numbers of the tickets whose timers are due at <paramref name="utc"/>.</summary>
    Task<IReadOnlyList<string>> TimersDueAsync(DateTime utc, CancellationToken cancellationToken);

    /// <summary>
    /// Numbers the ticket with its day's next number in <paramref name="localNow"/>'s calendar and inserts it with what
    /// <paramref name="alsoWrite"/> records. When the ticket's submission already opened a ticket, nothing is written and
    /// that one is returned (<see cref="TicketCreation.Opened"/> false; <paramref name="alsoWrite"/> does not run).
    /// </summary>
    Task<TicketCreation> CreateAsync(Ticket ticket, DateTimeOffset localNow, Action<Ticket, TicketWrite>? alsoWrite, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the ticket as stored now (no other change of it in between), applies <paramref name="change"/>, and stores it
    /// with what the change and then <paramref name="alsoWrite"/> recorded. Null, writing nothing, when there is no such
    /// ticket or the change returns false.
    /// </summary>
    Task<Ticket?> UpdateAsync(
        string number, Func<Ticket, TicketWrite, bool> change, Action<Ticket, TicketWrite>? alsoWrite, CancellationToken cancellationToken);

    /// <summary>
    /// Writes what <paramref name="write"/> records for ticket <paramref name="number"/> without changing the ticket
    /// (held meanwhile, so its timer is read as stored); also when the ticket does not exist.
    /// </summary>
    Task WriteAsync(string number, Action<TicketWrite> write, CancellationToken cancellationToken);
}
