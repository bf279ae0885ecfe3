using System.Text.Json;
using CommunityBot.Clocks;
using Npgsql;
using NpgsqlTypes;

namespace CommunityBot.Storage.Postgres;

/// <summary>
/// <see cref="TicketTimerStore"/> on PostgreSQL (table <c>ticket_timers</c>, migration 5), for several instances sharing one
/// database, each of which sweeps: a due timer is claimed with <c>FOR UPDATE SKIP LOCKED</c> in the sweeping instance's
/// transaction, so it is fired by one instance, whichever is alive, and stays due for all of them until a step commits.
/// </summary>
/// <remarks>
/// Writes run in the caller's transaction, that of the ticket change the timer belongs to. Every writer of a timer holds its
/// ticket's row until that transaction ends (<see cref="PostgresTicketStore.UpdateAsync"/> reads it <c>FOR UPDATE</c>, a
/// create inserts it, <see cref="ClaimDueAsync"/> locks it with the timer), so a timer read in such a transaction does not
/// change before it ends. READ COMMITTED (the default), as for <see cref="PostgresTicketStore"/>.
/// </remarks>
public sealed class PostgresTicketTimerStore(NpgsqlDataSource dataSource)
{
    // The timer and its ticket's row, both or neither: a row either is held by another transaction (another instance's
    // step, or a turn changing the ticket) is skipped rather than waited for. Taking the ticket here, before the step's
    // UpdateAsync, keeps one lock order (ticket, then timer) for the sweep and the turns, which lock the ticket first: a
    // sweep holding the timer and waiting for the ticket while a turn held the ticket and waited for the timer would deadlock.
    private const string ClaimDue = """
        SELECT timer.doc FROM ticket_timers timer JOIN tickets ticket ON ticket.number = timer.ticket_number
        WHERE timer.next_at <= @utc
        ORDER BY timer.next_at, timer.ticket_number
        LIMIT @limit
        FOR UPDATE SKIP LOCKED
        """;

    private const string Upsert = """
        INSERT INTO ticket_timers (ticket_number, doc, next_at) VALUES (@number, @doc, @next_at)
        ON CONFLICT (ticket_number) DO UPDATE SET doc = excluded.doc, next_at = excluded.next_at
        """;

    private static readonly JsonSerializerOptions Json = PostgresDocuments.Options;

    /// <summary>The ticket's timer as <paramref name="transaction"/> sees it, or null when it has none.</summary>
    public async Task<TicketTimer?> FindAsync(string ticketNumber, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticketNumber);
        await using var command = new NpgsqlCommand("SELECT doc FROM ticket_timers WHERE ticket_number = @number", ConnectionOf(transaction), transaction);
        command.Parameters.AddWithValue("number", ticketNumber);
        return (await ReadAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    /// <summary>Stores the timer (inserted or replaced) in <paramref name="transaction"/>; a null <see cref="TicketTimer.NextAt"/> is never due.</summary>
    public async Task PutAsync(TicketTimer timer, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        await using var command = new NpgsqlCommand(Upsert, ConnectionOf(transaction), transaction);
        command.Parameters.AddWithValue("number", timer.TicketNumber);
        command.Parameters.Add(new NpgsqlParameter("doc", NpgsqlDbType.Json) { Value = JsonSerializer.Serialize(timer, Json) });
        command.Parameters.Add(new NpgsqlParameter("next_at", NpgsqlDbType.TimestampTz)
        {
            Value = timer.NextAt is { } next ? PostgresDocuments.ToUtc(next) : DBNull.Value,
        });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes the ticket's timer in <paramref name="transaction"/> (nothing when it has none).</summary>
    public async Task DeleteAsync(string ticketNumber, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticketNumber);
        await using var command = new NpgsqlCommand("DELETE FROM ticket_timers WHERE ticket_number = @number", ConnectionOf(transaction), transaction);
        command.Parameters.AddWithValue("number", ticketNumber);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Numbers of the tickets whose committed timers are due at <paramref name="utc"/>, soonest first (an index range): a
    /// look, locking nothing. To fire them, <see cref="ClaimDueAsync"/>.
    /// </summary>
    public async Task<IReadOnlyList<string>> DueByAsync(DateTime utc, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT ticket_number FROM ticket_timers WHERE next_at <= @utc ORDER BY next_at, ticket_number");
        command.Parameters.AddWithValue("utc", PostgresDocuments.ToUtc(utc));
        var numbers = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            numbers.Add(reader.GetString(0));
        }

        return numbers;
    }

    /// <summary>
    /// Claims up to <paramref name="limit"/> timers due at <paramref name="utc"/>, soonest first, with their tickets' rows,
    /// for <paramref name="transaction"/>: no other transaction can claim or change them until it ends. The caller fires each
    /// in it (the ticket's update, the timer's next state through <see cref="PutAsync"/> or <see cref="DeleteAsync"/>, the
    /// notifications) and commits; a rollback, or a connection that dies first, leaves them due for any instance. Timers
    /// held by another transaction are skipped, not waited for, so two instances sweeping at once take different timers,
    /// and fewer than <paramref name="limit"/> come back when others hold the rest.
    /// </summary>
    /// <remarks>
    /// A timer another instance stepped and committed after this statement began is checked again in its new state (READ
    /// COMMITTED's re-check of a locked row), so one just moved past <paramref name="utc"/> is not returned; such a re-check
    /// may also return a few rows out of order.
    /// </remarks>
    public async Task<IReadOnlyList<TicketTimer>> ClaimDueAsync(DateTime utc, int limit, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var command = new NpgsqlCommand(ClaimDue, ConnectionOf(transaction), transaction);
        command.Parameters.AddWithValue("utc", PostgresDocuments.ToUtc(utc));
        command.Parameters.AddWithValue("limit", limit);
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private static NpgsqlConnection ConnectionOf(NpgsqlTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return transaction.Connection ?? throw new InvalidOperationException("The transaction has already ended.");
    }

    private static async Task<List<TicketTimer>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var timers = new List<TicketTimer>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            timers.Add(JsonSerializer.Deserialize<TicketTimer>(reader.GetString(0), Json)
                ?? throw new InvalidOperationException("A stored ticket timer is null."));
        }

        return timers;
    }
}
