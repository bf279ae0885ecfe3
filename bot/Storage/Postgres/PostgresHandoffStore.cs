using System.Text.Json;
using CommunityBot.Tickets;
using Npgsql;
using NpgsqlTypes;

namespace CommunityBot.Storage.Postgres;

using Handoff = CommunityBot.Tickets.Handoff;

/// <summary>
/// <see cref="HandoffStore"/> on PostgreSQL (table <c>handoffs</c>): the live take-overs (接管), shared by every instance, so a
/// resident's turn on any instance sees that a worker holds their thread. Writes run in the caller's transaction (the
/// ticket change that starts, refreshes or ends the take-over). The sweep that hands idle take-overs back and escalates
/// unanswered residents claims them with <see cref="ClaimDueAsync"/>, <c>FOR UPDATE SKIP LOCKED</c> with their tickets'
/// rows, so each is handed back (or escalated) by one instance, whichever is alive.
/// </summary>
/// <remarks>
/// The take-over is one <c>json</c> document beside the columns the lookups and the sweep use. Reads use pooled connections
/// of their own and see committed take-overs only. READ COMMITTED (the default).
/// </remarks>
public sealed class PostgresHandoffStore(NpgsqlDataSource dataSource) : ITakeOvers
{
    private const string Upsert = """
        INSERT INTO handoffs (resident_key, worker_key, worker_id, ticket_number, last_activity_at, resident_waiting_since, escalated, doc)
        VALUES (@resident_key, @worker_key, @worker_id, @ticket_number, @last_activity_at, @resident_waiting_since, @escalated, @doc)
        ON CONFLICT (resident_key) DO UPDATE SET worker_key = excluded.worker_key, worker_id = excluded.worker_id,
            ticket_number = excluded.ticket_number, last_activity_at = excluded.last_activity_at,
            resident_waiting_since = excluded.resident_waiting_since, escalated = excluded.escalated, doc = excluded.doc
        """;

    // Idle past the timeout (hand back), or a resident waiting unanswered past the answer timeout and not yet escalated.
    // The take-over and its ticket's row, both or neither, skipping what another transaction holds (another instance's
    // sweep, or a turn changing the ticket or the take-over): the turns lock the ticket first, and a claim that never waits
    // cannot deadlock with them.
    private const string ClaimDue = """
        SELECT handoff.doc FROM handoffs handoff JOIN tickets ticket ON ticket.number = handoff.ticket_number
        WHERE handoff.last_activity_at <= @idle_before
           OR (NOT handoff.escalated AND handoff.resident_waiting_since <= @waiting_before)
        ORDER BY handoff.last_activity_at, handoff.resident_key
        LIMIT @limit
        FOR UPDATE SKIP LOCKED
        """;

    private static readonly JsonSerializerOptions Json = PostgresDocuments.Options;

    public async Task<Handoff?> ForResidentAsync(string residentKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(residentKey);
        await using var command = dataSource.CreateCommand("SELECT doc FROM handoffs WHERE resident_key = @key");
        command.Parameters.AddWithValue("key", residentKey);
        return (await ReadAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    /// <summary>The worker's most recently active take-over from this chat, if any.</summary>
    public async Task<Handoff?> ForWorkerAsync(string workerKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workerKey);
        await using var command = dataSource.CreateCommand(
            "SELECT doc FROM handoffs WHERE worker_key = @key ORDER BY last_activity_at DESC, resident_key LIMIT 1");
        command.Parameters.AddWithValue("key", workerKey);
        return (await ReadAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    /// <summary>Every live take-over by the worker (from any chat or the console).</summary>
    public Task<IReadOnlyList<Handoff>> ForWorkerIdAsync(string workerId, CancellationToken cancellationToken) =>
        WhereAsync("worker_id = @value", workerId, cancellationToken);

    public Task<IReadOnlyList<Handoff>> ForTicketAsync(string ticketNumber, CancellationToken cancellationToken) =>
        WhereAsync("ticket_number = @value", ticketNumber, cancellationToken);

    public async Task<IReadOnlyList<Handoff>> AllAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT doc FROM handoffs ORDER BY resident_key");
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stores the take-over (started, or changed by a message either way) in <paramref name="transaction"/>.</summary>
    public async Task PutAsync(Handoff handoff, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handoff);
        await using var command = new NpgsqlCommand(Upsert, ConnectionOf(transaction), transaction);
        command.Parameters.AddWithValue("resident_key", handoff.ResidentKey);
        command.Parameters.AddWithValue("worker_key", handoff.WorkerKey);
        command.Parameters.AddWithValue("worker_id", handoff.WorkerId);
        command.Parameters.AddWithValue("ticket_number", handoff.TicketNumber);
        command.Parameters.AddWithValue("last_activity_at", PostgresDocuments.ToUtc(handoff.LastActivityAt));
        command.Parameters.Add(new NpgsqlParameter("resident_waiting_since", NpgsqlDbType.TimestampTz)
        {
            Value = handoff.ResidentWaitingSince is { } since ? PostgresDocuments.ToUtc(since) : DBNull.Value,
        });
        command.Parameters.AddWithValue("escalated", handoff.Escalated);
        command.Parameters.Add(new NpgsqlParameter("doc", NpgsqlDbType.Json) { Value = JsonSerializer.Serialize(handoff, Json) });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends the take-over in <paramref name="transaction"/>; false when there was none.</summary>
    public async Task<bool> RemoveAsync(string residentKey, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(residentKey);
        await using var command = new NpgsqlCommand("DELETE FROM handoffs WHERE resident_key = @key", ConnectionOf(transaction), transaction);
        command.Parameters.AddWithValue("key", residentKey);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>
    /// Claims, in <paramref name="transaction"/> (the sweeping instance's), up to <paramref name="limit"/> take-overs that
    /// are due at <paramref name="utc"/>: idle for <paramref name="idleTimeout"/> (to hand back), or with a resident waiting
    /// unanswered for <paramref name="answerTimeout"/> and not yet escalated. Each stays locked with its ticket's row until
    /// that transaction ends: the caller hands it back (<see cref="RemoveAsync"/>) or marks it escalated
    /// (<see cref="PutAsync"/>) with the ticket's change there and commits; a rollback or a dead instance leaves it due for
    /// the next sweep on any instance. What another transaction holds is skipped, never waited for.
    /// </summary>
    public async Task<IReadOnlyList<Handoff>> ClaimDueAsync(
        DateTime utc, TimeSpan idleTimeout, TimeSpan answerTimeout, int limit, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var now = PostgresDocuments.ToUtc(utc);
        await using var command = new NpgsqlCommand(ClaimDue, ConnectionOf(transaction), transaction);
        command.Parameters.AddWithValue("idle_before", now - idleTimeout);
        command.Parameters.AddWithValue("waiting_before", now - answerTimeout);
        command.Parameters.AddWithValue("limit", limit);
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<Handoff>> WhereAsync(string condition, string value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(value);
        await using var command = dataSource.CreateCommand($"SELECT doc FROM handoffs WHERE {condition} ORDER BY resident_key");
        command.Parameters.AddWithValue("value", value);
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private static NpgsqlConnection ConnectionOf(NpgsqlTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return transaction.Connection ?? throw new InvalidOperationException("The transaction has already ended.");
    }

    private static async Task<List<Handoff>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var handoffs = new List<Handoff>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            handoffs.Add(JsonSerializer.Deserialize<Handoff>(reader.GetString(0), Json)
                ?? throw new InvalidOperationException("A stored take-over is null."));
        }

        return handoffs;
    }
}
