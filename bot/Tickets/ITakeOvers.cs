namespace CommunityBot.Tickets;

/// <summary>
/// The live take-overs (接管) as the desk reads them, on either provider (<see cref="HandoffStore"/>,
/// <see cref="Storage.Postgres.PostgresHandoffStore"/>). They are written only with their ticket, through
/// <see cref="TicketWrite.PutHandoff"/> and <see cref="TicketWrite.RemoveHandoff"/>. Each read returns copies of what is
/// committed, which the caller may change and put back.
/// </summary>
public interface ITakeOvers
{
    Task<Handoff?> ForResidentAsync(string residentKey, CancellationToken cancellationToken);

    /// <summary>The worker's most recently active take-over from this chat, if any.</summary>
    Task<Handoff?> ForWorkerAsync(string workerKey, CancellationToken cancellationToken);

    /// <summary>Every live take-over by the worker (from any chat or the console).</summary>
    Task<IReadOnlyList<Handoff>> ForWorkerIdAsync(string workerId, CancellationToken cancellationToken);

    Task<IReadOnlyList<Handoff>> ForTicketAsync(string ticketNumber, CancellationToken cancellationToken);

    Task<IReadOnlyList<Handoff>> AllAsync(CancellationToken cancellationToken);
}
