using CommunityBot.Conversation;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Notifications;
using LiteDB;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace CommunityBot.Storage.Postgres;

/// <summary>
/// <see cref="ProactiveTurnStore"/> on PostgreSQL (table <c>proactive_turns</c>), shared by several instances' runners. The
/// desk inserts requests in its ticket write's transaction, so they exist exactly when that write committed. A runner takes
/// work with <see cref="ClaimAsync"/>: a lease on the head (the oldest pending request) of each resident it can take, for a
/// while. A resident's requests are run by one instance at a time and in order, as on LiteDB in one process: only the head is
/// ever claimable, and only while none of the resident's requests is leased. The runner then deletes the request in its
/// turn's commit, backs it off after a failure, or hands it back; an instance that dies leaves its leases to run out, after
/// which the requests are claimed again by another. Each of these changes only while the lease is still the claimer's.
/// </summary>
/// <remarks>
/// A request keeps its LiteDB <see cref="ObjectId"/> (<see cref="ProactiveTurn.Id"/>), stored as its 24 hex digits: the
/// instance that builds a request names it, the name is unique across instances, and the turn is de-duplicated on it
/// (<see cref="ProactiveTurn.MessageId"/>), so a request has the same name on both providers and the LiteDB store is
/// unchanged. The order is the row's identity (insert order), not the ObjectId's (seconds, then machine). Leases and due times
/// are read on the callers' <see cref="TimeProvider"/>, so the instances' clocks must agree to well within a lease, and a
/// lease must outlast a turn. READ COMMITTED (the default). A committed insert sends <c>NOTIFY proactive_turns</c>.
/// </remarks>
public sealed class PostgresProactiveTurnStore(NpgsqlDataSource dataSource, TimeProvider time, IOptions<OutboxOptions> options)
{
    /// <summary>The channel an insert notifies when its transaction commits.</summary>
    public const string NotifyChannel = "proactive_turns";

    private const string Pending = nameof(ProactiveTurnStatus.Pending);
    private const string Failed = nameof(ProactiveTurnStatus.Failed);

    private const string Columns =
        "id, resident_key, address, name, value, created_at, due_at, attempts, status, last_error, failed_at, claimed_by, claimed_until";

    // The rows in the order given, so one write's requests keep their order in the identity.
    private const string Insert = """
        INSERT INTO proactive_turns (id, resident_key, address, name, value, created_at, due_at, attempts, status, last_error, failed_at)
        SELECT i, r, a, n, v, ca, da, t, s, le, fa
        FROM unnest(@ids, @residents, @addresses, @names, @values, @created, @due, @attempts, @statuses, @errors, @failed)
            WITH ORDINALITY AS p(i, r, a, n, v, ca, da, t, s, le, fa, ordinal)
        ORDER BY ordinal
        """;

    // Step 1 of a claim, as PostgresOutbox's: the residents whose head is due and none of whose requests is leased, the oldest
    // head first, each taken with a transaction-level advisory lock no other claim holds. The lock keeps two claims of one
    // resident apart even when they disagree about the head (a write that took its position first may commit last); a
    // resident another instance is claiming right now is skipped, not waited for. The 'proactive ' prefix keeps these locks
    // apart from the resident's turn lock (PostgresStorage.LockResidentAsync) and the outbox's.
    private const string LockResidents = """
        WITH head AS MATERIALIZED (
            SELECT DISTINCT ON (resident_key) resident_key, position, due_at
            FROM proactive_turns WHERE status = 'Pending'
            ORDER BY resident_key, position
        ), ready AS MATERIALIZED (
            SELECT resident_key FROM head
            WHERE due_at <= @now
              AND NOT EXISTS (SELECT 1 FROM proactive_turns l WHERE l.resident_key = head.resident_key AND l.claimed_until > @now)
            ORDER BY position
        )
        SELECT resident_key FROM ready
        WHERE pg_try_advisory_xact_lock(hashtextextended('proactive ' || resident_key, 0))
        LIMIT @limit
        """;

    // Step 2, a statement of its own so its snapshot comes after the locks and sees every claim of these residents committed
    // before: lease each one's head when it is still due and free, no other request of the resident is leased, and no one is
    // changing the row right now (SKIP LOCKED: an outcome in flight; the next claim sees it).
    private const string LeaseHeads = $"""
        WITH head AS (
            SELECT DISTINCT ON (resident_key) id FROM proactive_turns
            WHERE status = 'Pending' AND resident_key = ANY(@keys)
            ORDER BY resident_key, position
        ), free AS (
            SELECT t.id AS head_id FROM proactive_turns t JOIN head ON head.id = t.id
            WHERE t.status = 'Pending' AND t.due_at <= @now AND (t.claimed_until IS NULL OR t.claimed_until <= @now)
              AND NOT EXISTS (SELECT 1 FROM proactive_turns l WHERE l.resident_key = t.resident_key AND l.id <> t.id AND l.claimed_until > @now)
            FOR UPDATE OF t SKIP LOCKED
        )
        UPDATE proactive_turns t SET claimed_by = @claimed_by, claimed_until = @claimed_until
        FROM free WHERE t.id = free.head_id
        RETURNING {Columns}, position
        """;

    // A lease is the claimer's while the row still names it: claimed_until as stored is new with every claim.
    private const string Ours = "id = @id AND claimed_by = @claimed_by AND claimed_until = @claimed_until";

    private readonly OutboxOptions _options = options.Value;

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>Builds (does not store) a request for a turn <paramref name="name"/> in <paramref name="to"/>'s conversation.</summary>
    public ProactiveTurn Create(ConversationReference to, string name, string valueJson) => ProactiveTurn.For(to, name, valueJson, Now);

    /// <summary>
    /// Stores <paramref name="turns"/> in <paramref name="transaction"/> (the ticket write's), in the order given, and notifies
    /// <see cref="NotifyChannel"/> when that transaction commits (nothing is stored or notified when it rolls back).
    /// </summary>
    public async Task InsertAsync(IEnumerable<ProactiveTurn> turns, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turns);
        ArgumentNullException.ThrowIfNull(transaction);
        var list = turns as IReadOnlyList<ProactiveTurn> ?? turns.ToList();
        if (list.Count == 0)
        {
            return;
        }

        var connection = transaction.Connection ?? throw new InvalidOperationException("The transaction has already ended.");
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(Insert)
        {
            Parameters =
            {
                new("ids", list.Select(t => t.Id.ToString()).ToArray()),
                new("residents", list.Select(t => t.ResidentKey).ToArray()),
                new("addresses", NpgsqlDbType.Array | NpgsqlDbType.Json) { Value = list.Select(t => t.To).ToArray() },
                new("names", list.Select(t => t.Name).ToArray()),
                new("values", list.Select(t => t.Value).ToArray()),
                new("created", list.Select(t => PostgresDocuments.ToUtc(t.CreatedAt)).ToArray()),
                new("due", list.Select(t => PostgresDocuments.ToUtc(t.DueAt)).ToArray()),
                new("attempts", list.Select(t => t.Attempts).ToArray()),
                new("statuses", list.Select(t => t.Status.ToString()).ToArray()),
                new("errors", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = list.Select(t => t.LastError).ToArray() },
                new("failed", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
                {
                    Value = list.Select(t => t.FailedAt is { } at ? PostgresDocuments.ToUtc(at) : (DateTime?)null).ToArray(),
                },
            },
        });
        // Sent by PostgreSQL when the transaction commits, and not at all when it rolls back.
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"NOTIFY {NotifyChannel}"));
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Leases to <paramref name="instanceId"/>, for <paramref name="leaseFor"/>, the head of up to <paramref name="limit"/>
    /// residents: each one's oldest pending request, when it is due, none of that resident's requests is leased (a run-out
    /// lease does not count) and no other claim is taking it right now; the oldest first. A resident's later requests wait
    /// until the head is deleted or given up on; a head waiting for its retry holds them back too. Never waits for another
    /// instance.
    /// </summary>
    public async Task<IReadOnlyList<ProactiveTurnClaim>> ClaimAsync(string instanceId, int limit, TimeSpan leaseFor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseFor, TimeSpan.Zero);
        var now = Now;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var keys = new List<string>();
        await using (var pick = new NpgsqlCommand(LockResidents, connection, transaction))
        {
            pick.Parameters.AddWithValue("now", now);
            pick.Parameters.AddWithValue("limit", limit);
            await using var reader = await pick.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                keys.Add(reader.GetString(0));
            }
        }

        if (keys.Count == 0)
        {
            return [];
        }

        var claims = new List<(long Position, ProactiveTurnClaim Claim)>(keys.Count);
        await using (var lease = new NpgsqlCommand(LeaseHeads, connection, transaction))
        {
            lease.Parameters.AddWithValue("keys", keys.ToArray());
            lease.Parameters.AddWithValue("now", now);
            lease.Parameters.AddWithValue("claimed_by", instanceId);
            lease.Parameters.AddWithValue("claimed_until", now + leaseFor);
            await using var reader = await lease.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                // The lease as stored (timestamptz keeps microseconds), so the outcomes' checks compare equal.
                var entry = Read(reader);
                claims.Add((reader.GetInt64(13), new ProactiveTurnClaim(entry.Turn, entry.ClaimedBy!, entry.ClaimedUntil!.Value)));
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return claims.OrderBy(c => c.Position).Select(c => c.Claim).ToList();
    }

    /// <summary>
    /// Deletes the request in <paramref name="transaction"/> (its turn's commit), if <paramref name="claim"/> is still its
    /// lease: true then. False, deleting nothing, when another instance has claimed it since (the lease had run out): that one
    /// runs it again, and its turn is a duplicate (the processed message id) if this one commits. A lease that ran out
    /// without being taken over still deletes. The row stays locked until the transaction ends, so no claim takes it meanwhile.
    /// </summary>
    public async Task<bool> DeleteAsync(ProactiveTurnClaim claim, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var connection = transaction.Connection ?? throw new InvalidOperationException("The transaction has already ended.");
        await using var command = new NpgsqlCommand($"DELETE FROM proactive_turns WHERE {Ours}", connection, transaction);
        AddLease(command, claim);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>
    /// Deletes a request whose turn was already committed (a redelivery the dedupe turned away), if <paramref name="claim"/>
    /// is still its lease; false, deleting nothing, otherwise.
    /// </summary>
    public async Task<bool> DeleteAsync(ProactiveTurnClaim claim, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"DELETE FROM proactive_turns WHERE {Ours}");
        AddLease(command, claim);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>
    /// Counts a failed run and hands the request back: due again after <see cref="OutboxOptions.RetryDelay"/>, or failed once
    /// <see cref="OutboxOptions.MaxAttempts"/> are used (as <see cref="ProactiveTurnStore.MarkFailedAttemptAsync"/>). False,
    /// changing nothing, when the lease is no longer <paramref name="claim"/>'s (or the request was deleted meanwhile).
    /// </summary>
    public async Task<bool> MarkFailedAttemptAsync(ProactiveTurnClaim claim, string error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var now = Now;
        var attempts = claim.Turn.Attempts + 1;
        var givenUp = attempts >= _options.MaxAttempts;
        await using var command = dataSource.CreateCommand($"""
            UPDATE proactive_turns SET attempts = @attempts, last_error = @error, status = @status, failed_at = @failed_at,
                due_at = @due_at, claimed_by = NULL, claimed_until = NULL
            WHERE {Ours}
            """);
        AddLease(command, claim);
        command.Parameters.AddWithValue("attempts", attempts);
        command.Parameters.AddWithValue("error", error);
        command.Parameters.AddWithValue("status", givenUp ? Failed : Pending);
        command.Parameters.Add(new NpgsqlParameter("failed_at", NpgsqlDbType.TimestampTz) { Value = givenUp ? now : DBNull.Value });
        command.Parameters.AddWithValue("due_at", givenUp ? PostgresDocuments.ToUtc(claim.Turn.DueAt) : now + _options.RetryDelay(attempts));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>
    /// Hands the request back without counting an attempt (the instance is stopping), so another instance may claim it at
    /// once. False, changing nothing, when the lease is no longer <paramref name="claim"/>'s.
    /// </summary>
    public async Task<bool> ReleaseAsync(ProactiveTurnClaim claim, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"UPDATE proactive_turns SET claimed_by = NULL, claimed_until = NULL WHERE {Ours}");
        AddLease(command, claim);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Every pending request, oldest first, leased or not.</summary>
    public async Task<IReadOnlyList<PostgresProactiveTurnEntry>> PendingAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM proactive_turns WHERE status = '{Pending}' ORDER BY position");
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every request, pending or failed, oldest first.</summary>
    public async Task<IReadOnlyList<PostgresProactiveTurnEntry>> AllAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM proactive_turns ORDER BY position");
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Purges requests given up on before <paramref name="cutoff"/> (the hourly cleanup); returns how many.</summary>
    public async Task<int> DeleteFailedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"DELETE FROM proactive_turns WHERE status = '{Failed}' AND failed_at < @cutoff");
        command.Parameters.AddWithValue("cutoff", cutoff.UtcDateTime);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void AddLease(NpgsqlCommand command, ProactiveTurnClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        command.Parameters.AddWithValue("id", claim.Turn.Id.ToString());
        command.Parameters.AddWithValue("claimed_by", claim.ClaimedBy);
        command.Parameters.AddWithValue("claimed_until", claim.ClaimedUntil);
    }

    private static async Task<List<PostgresProactiveTurnEntry>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var entries = new List<PostgresProactiveTurnEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(Read(reader));
        }

        return entries;
    }

    // In Columns' order.
    private static PostgresProactiveTurnEntry Read(NpgsqlDataReader reader) => new(
        new ProactiveTurn
        {
            Id = new ObjectId(reader.GetString(0)),
            ResidentKey = reader.GetString(1),
            To = reader.GetString(2),
            Name = reader.GetString(3),
            Value = reader.GetString(4),
            CreatedAt = reader.GetDateTime(5),
            DueAt = reader.GetDateTime(6),
            Attempts = reader.GetInt32(7),
            Status = Enum.Parse<ProactiveTurnStatus>(reader.GetString(8)),
            LastError = reader.IsDBNull(9) ? null : reader.GetString(9),
            FailedAt = reader.IsDBNull(10) ? null : reader.GetDateTime(10),
        },
        reader.IsDBNull(11) ? null : reader.GetString(11),
        reader.IsDBNull(12) ? null : reader.GetDateTime(12));
}
