using System.Text.Json;
using CommunityBot.Clocks;
using CommunityBot.Tickets;
using Npgsql;

namespace CommunityBot.Storage.Postgres;

/// <summary>
/// <see cref="ITicketRepository"/> on PostgreSQL, for several instances sharing one database: each write is one transaction
/// of its own in which the ticket (<see cref="PostgresTicketStore"/>) and its <see cref="TicketWrite"/> are stored: the
/// timer (<see cref="PostgresTicketTimerStore"/>), the outbox messages (<see cref="PostgresOutbox"/>, which notifies the
/// dispatchers on commit), the proactive turns it asks for (<see cref="PostgresProactiveTurnStore"/>, which notifies the
/// runners on commit), the take-overs (<see cref="PostgresHandoffStore"/>), the pending photos
/// (<see cref="PostgresMediaStore"/>, whose fetcher is woken after the commit) and an Open311 request's extras
/// (<see cref="PostgresOpen311SubmissionStore"/>). A crash, or a failed statement, keeps all or none of it.
/// </summary>
/// <remarks>
/// <para>
/// A change of an existing ticket first locks the ticket's row and only then, in a statement of its own, reads its timer: a
/// READ COMMITTED statement's snapshot is taken when it starts, so the timer read after the lock sees what the previous
/// holder of the lock (another instance's change or sweep step) committed. Every writer of a timer holds its ticket's row,
/// and all of them lock the ticket first and the timer or take-over second, so no two writes deadlock on them.
/// </para>
/// <para>
/// Not on PostgreSQL yet: a ticket write inside a resident's turn is a transaction of its own, not yet the turn's
/// (<see cref="PostgresTurn"/>); it is idempotent by its submission key.
/// </para>
/// </remarks>
public sealed class PostgresTicketRepository(
    NpgsqlDataSource dataSource,
    PostgresTicketStore tickets,
    PostgresTicketTimerStore timers,
    PostgresOutbox outbox,
    PostgresProactiveTurnStore prompts,
    PostgresHandoffStore handoffs,
    PostgresMediaStore media,
    PostgresOpen311SubmissionStore serviceRequests) : ITicketRepository
{
    private static readonly JsonSerializerOptions Json = PostgresDocuments.Options;

    public Task<Ticket?> FindAsync(string number, CancellationToken cancellationToken) => tickets.FindAsync(number, cancellationToken);

    public async Task<Ticket?> FiledBySubmissionAsync(string submissionKey, CancellationToken cancellationToken) =>
        await tickets.TicketOfSubmissionAsync(submissionKey, cancellationToken).ConfigureAwait(false) is { } number
            ? await tickets.FindAsync(number, cancellationToken).ConfigureAwait(false)
            : null;

    public Task<IReadOnlyList<Ticket>> OpenSinceAsync(DateTime sinceUtc, CancellationToken cancellationToken) =>
        tickets.OpenSinceAsync(sinceUtc, cancellationToken);

    public Task<IReadOnlyList<Ticket>> ReportedByAsync(string reporterKey, CancellationToken cancellationToken) =>
        tickets.ReportedByAsync(reporterKey, cancellationToken: cancellationToken);

    public Task<IReadOnlyList<string>> TimersDueAsync(DateTime utc, CancellationToken cancellationToken) =>
        timers.DueByAsync(utc, cancellationToken);

    public async Task<TicketCreation> CreateAsync(
        Ticket ticket, DateTimeOffset localNow, Action<Ticket, TicketWrite>? alsoWrite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var creation = await tickets.CreateAsync(ticket, localNow, transaction, cancellationToken).ConfigureAwait(false);
        if (creation.Opened)
        {
            var write = TicketWrite.ForNew(creation.Ticket.Number);
            alsoWrite?.Invoke(creation.Ticket, write);
            await ApplyAsync(write, transaction, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            Wake(write);
        }

        // Not opened: nothing was written (the submission's claim inserted no row); the transaction just ends.
        return creation;
    }

    public async Task<Ticket?> UpdateAsync(
        string number, Func<Ticket, TicketWrite, bool> change, Action<Ticket, TicketWrite>? alsoWrite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(number);
        ArgumentNullException.ThrowIfNull(change);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (await HoldAsync(number, transaction, cancellationToken).ConfigureAwait(false) is not { } write)
        {
            return null;
        }

        // The ticket's row is held, so this read sees the last committed change, and nothing changes it before the commit.
        var updated = await tickets.UpdateAsync(number, ticket => change(ticket, write), transaction, cancellationToken).ConfigureAwait(false);
        if (updated is null)
        {
            return null; // the change was not made: the write is dropped whole (rolled back on dispose)
        }

        alsoWrite?.Invoke(updated, write);
        await ApplyAsync(write, transaction, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        Wake(write);
        return updated;
    }

    public async Task WriteAsync(string number, Action<TicketWrite> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(number);
        ArgumentNullException.ThrowIfNull(write);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // A ticket that does not exist has no timer: the write still goes ahead (its messages, its take-overs).
        var recorded = await HoldAsync(number, transaction, cancellationToken).ConfigureAwait(false) ?? TicketWrite.ForNew(number);
        write(recorded);
        await ApplyAsync(recorded, transaction, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        Wake(recorded);
    }

    /// <summary>
    /// Locks the ticket's row until <paramref name="transaction"/> ends (waiting for another instance's change to commit),
    /// then reads its timer in a second statement, whose snapshot comes after the lock. Null when there is no such ticket.
    /// </summary>
    private static async Task<TicketWrite?> HoldAsync(string number, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(transaction.Connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT 1 FROM tickets WHERE number = @number FOR UPDATE") { Parameters = { new("number", number) } },
                new NpgsqlBatchCommand("SELECT doc FROM ticket_timers WHERE ticket_number = @number") { Parameters = { new("number", number) } },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var timer = await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? JsonSerializer.Deserialize<TicketTimer>(reader.GetString(0), Json) ?? throw new InvalidOperationException("A stored ticket timer is null.")
            : null;
        return new TicketWrite(number, _ => timer);
    }

    // In the ticket's transaction, after the ticket's own statements; the order of the take-overs' changes is LiteDB's.
    private async Task ApplyAsync(TicketWrite write, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        switch (write.TimerChange)
        {
            case TimerChange.Save:
                await timers.PutAsync(write.Timer!, transaction, cancellationToken).ConfigureAwait(false);
                break;
            case TimerChange.Delete:
                await timers.DeleteAsync(write.TicketNumber, transaction, cancellationToken).ConfigureAwait(false);
                break;
        }

        await outbox.InsertAsync(write.Messages, transaction, cancellationToken).ConfigureAwait(false);
        await prompts.InsertAsync(write.Prompts, transaction, cancellationToken).ConfigureAwait(false);
        foreach (var residentKey in write.HandoffsRemoved)
        {
            await handoffs.RemoveAsync(residentKey, transaction, cancellationToken).ConfigureAwait(false);
        }

        foreach (var handoff in write.HandoffsPut)
        {
            await handoffs.PutAsync(handoff, transaction, cancellationToken).ConfigureAwait(false);
        }

        await media.InsertAsync(write.Photos, transaction, cancellationToken).ConfigureAwait(false);
        foreach (var submission in write.ServiceRequests)
        {
            await serviceRequests.InsertAsync(submission, transaction, cancellationToken).ConfigureAwait(false);
        }
    }

    // Once committed: this instance fetches the new photos at once (the others find them at their next look).
    private void Wake(TicketWrite write)
    {
        if (write.Photos.Count > 0)
        {
            media.Wake();
        }
    }
}
