using CommunityBot.Dialogs.Conversation;
using CommunityBot.Notifications;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace CommunityBot.Storage.Postgres;

/// <summary>
/// <see cref="Outbox"/> on PostgreSQL (table <c>outbox</c>), shared by several instances' dispatchers. Entries are inserted
/// in the caller's transaction (the turn's), so they exist exactly when the turn committed. An instance takes work with
/// <see cref="ClaimAsync"/>: a lease on the head (the oldest pending entry) of each conversation it can take, for a while. A
/// conversation is delivered to by one instance at a time and in order, whichever instances poll: only its head is ever
/// claimable, and only while no entry of the conversation is leased. The instance then completes the claim (the entry is
/// deleted), retries it later, hands it back, or fails it; an instance that dies leaves its leases to run out, after which
/// the entries are claimed again by another (at least once, still in order). Each of these changes only while the lease is
/// still the claimer's: once another instance has claimed the entry, the late one's completion changes nothing.
/// </summary>
/// <remarks>
/// Leases and due times are read on the callers' <see cref="TimeProvider"/>, so the instances' clocks must agree (NTP) to well
/// within a lease, and a lease must outlast a send (<see cref="OutboxOptions.SendTimeout"/>) with room to spare: a send that
/// outlives its lease may be repeated by another instance, and a conversation's next entry may then overtake it. The
/// transactions are READ COMMITTED (the default). A committed insert sends <c>NOTIFY outbox</c>
/// (<see cref="PostgresOutboxListener"/>).
/// </remarks>
public sealed class PostgresOutbox(NpgsqlDataSource dataSource, TimeProvider time, IOptions<OutboxOptions> options)
{
    /// <summary>The channel an insert notifies when its transaction commits.</summary>
    public const string NotifyChannel = "outbox";

    private const string Pending = nameof(OutboxStatus.Pending);
    private const string Failed = nameof(OutboxStatus.Failed);

    private const string Columns =
        "id, conversation_key, channel, address, message, created_at, due_at, attempts, status, bulk, broadcast_id, last_error, failed_at, claimed_by, claimed_until";

    // The rows in the order given, so one insert's entries (a turn's replies) keep their order in the identity.
    private const string Insert = """
        INSERT INTO outbox (conversation_key, channel, address, message, created_at, due_at, attempts, status, bulk, broadcast_id, last_error, failed_at)
        SELECT k, c, a, m, ca, da, n, s, b, bi, le, fa
        FROM unnest(@keys, @channels, @addresses, @messages, @created, @due, @attempts, @statuses, @bulk, @broadcasts, @errors, @failed)
            WITH ORDINALITY AS e(k, c, a, m, ca, da, n, s, b, bi, le, fa, position)
        ORDER BY position
        """;

    // Step 1 of a claim: the conversations whose head is due and which have no entry in flight, replies before bulk and the
    // oldest head first, each taken with a transaction-level advisory lock that no other claim is holding. The lock, not a
    // row lock, is what keeps two claims of one conversation apart: they may disagree about which row is its head (an entry
    // committed late with a lower id). The locks are tried only as rows are taken, so no more than @limit are held; a
    // conversation another instance is claiming right now is skipped, not waited for. The 'outbox ' prefix keeps these locks
    // apart from PostgresStorage.LockResidentAsync's.
    private const string LockConversations = """
        WITH head AS MATERIALIZED (
            SELECT DISTINCT ON (conversation_key) conversation_key, id, bulk, due_at
            FROM outbox WHERE status = 'Pending'
            ORDER BY conversation_key, id
        ), ready AS MATERIALIZED (
            SELECT conversation_key FROM head
            WHERE due_at <= @now
              AND NOT EXISTS (SELECT 1 FROM outbox l WHERE l.conversation_key = head.conversation_key AND l.claimed_until > @now)
            ORDER BY bulk, id
        )
        SELECT conversation_key FROM ready
        WHERE pg_try_advisory_xact_lock(hashtextextended('outbox ' || conversation_key, 0))
        LIMIT @limit
        """;

    // Step 2, a statement of its own so that its snapshot is taken after the locks: every claim of these conversations that
    // committed before is seen. It leases each one's head when it is still due and free, no other entry of the conversation
    // is leased, and no one is changing the row right now (SKIP LOCKED: a completion or retry in flight; the next claim
    // sees its outcome). The row's own conditions are checked again on its latest version when it was changed meanwhile.
    private const string LeaseHeads = $"""
        WITH head AS (
            SELECT DISTINCT ON (conversation_key) id FROM outbox
            WHERE status = 'Pending' AND conversation_key = ANY(@keys)
            ORDER BY conversation_key, id
        ), free AS (
            SELECT o.id AS head_id FROM outbox o JOIN head ON head.id = o.id
            WHERE o.status = 'Pending' AND o.due_at <= @now AND (o.claimed_until IS NULL OR o.claimed_until <= @now)
              AND NOT EXISTS (SELECT 1 FROM outbox l WHERE l.conversation_key = o.conversation_key AND l.id <> o.id AND l.claimed_until > @now)
            FOR UPDATE OF o SKIP LOCKED
        )
        UPDATE outbox o SET claimed_by = @claimed_by, claimed_until = @claimed_until
        FROM free WHERE o.id = free.head_id
        RETURNING {Columns}
        """;

    // A lease is the claimer's while the row still names it: claimed_until as stored is new with every claim.
    private const string Ours = "id = @id AND claimed_by = @claimed_by AND claimed_until = @claimed_until";

    private readonly OutboxOptions _options = options.Value;

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>Builds (does not store) an entry, as <see cref="Outbox.Create"/> does.</summary>
    public OutboxMessage Create(ConversationReference to, OutboundMessage message) => OutboxMessage.For(to, message, Now);

    /// <summary>
    /// Stores <paramref name="messages"/> in <paramref name="transaction"/> (the turn's), in the order given, and notifies
    /// <see cref="NotifyChannel"/> when that transaction commits (nothing is stored or notified when it rolls back). A
    /// conversation key longer than <see cref="StorageKeys.MaxBytes"/> is stored as <see cref="StorageKeys.Bound"/> makes it.
    /// </summary>
    public async Task InsertAsync(IEnumerable<OutboxMessage> messages, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(transaction);
        var list = messages as IReadOnlyList<OutboxMessage> ?? messages.ToList();
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
                new("keys", list.Select(m => StorageKeys.Bound(m.ConversationKey)).ToArray()),
                new("channels", list.Select(m => m.Channel).ToArray()),
                new("addresses", NpgsqlDbType.Array | NpgsqlDbType.Json) { Value = list.Select(m => m.To).ToArray() },
                new("messages", NpgsqlDbType.Array | NpgsqlDbType.Json) { Value = list.Select(m => m.Message).ToArray() },
                new("created", list.Select(m => ToUtc(m.CreatedAt)).ToArray()),
                new("due", list.Select(m => ToUtc(m.DueAt)).ToArray()),
                new("attempts", list.Select(m => m.Attempts).ToArray()),
                new("statuses", list.Select(m => m.Status.ToString()).ToArray()),
                new("bulk", list.Select(m => m.Bulk).ToArray()),
                new("broadcasts", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = list.Select(m => m.BroadcastId).ToArray() },
                new("errors", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = list.Select(m => m.LastError).ToArray() },
                new("failed", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = list.Select(m => m.FailedAt is { } at ? ToUtc(at) : (DateTime?)null).ToArray() },
            },
        });
        // Sent by PostgreSQL when the transaction commits, and not at all when it rolls back.
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"NOTIFY {NotifyChannel}"));
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Leases to <paramref name="instanceId"/>, for <paramref name="leaseFor"/>, the head of up to <paramref name="limit"/>
    /// conversations: each one's oldest pending entry, when it is due, no entry of that conversation is leased (a run-out
    /// lease does not count) and no other claim is taking it right now. Replies come before bulk entries, and the oldest
    /// first. A conversation's later entries wait until its head is completed or failed; a head waiting for its retry time
    /// holds them back too. Never waits for another instance.
    /// </summary>
    public async Task<IReadOnlyList<OutboxClaim>> ClaimAsync(string instanceId, int limit, TimeSpan leaseFor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseFor, TimeSpan.Zero);
        var now = Now;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var keys = new List<string>();
        await using (var pick = new NpgsqlCommand(LockConversations, connection, transaction))
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

        var claims = new List<OutboxClaim>(keys.Count);
        await using (var lease = new NpgsqlCommand(LeaseHeads, connection, transaction))
        {
            lease.Parameters.AddWithValue("keys", keys.ToArray());
            lease.Parameters.AddWithValue("now", now);
            lease.Parameters.AddWithValue("claimed_by", instanceId);
            lease.Parameters.AddWithValue("claimed_until", now + leaseFor);
            await using var reader = await lease.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var entry = Read(reader);
                claims.Add(new OutboxClaim(entry.Id, entry.Message, entry.ClaimedBy!, entry.ClaimedUntil!.Value));
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        claims.Sort((a, b) => a.Message.Bulk != b.Message.Bulk ? a.Message.Bulk.CompareTo(b.Message.Bulk) : a.Id.CompareTo(b.Id));
        return claims;
    }

    /// <summary>
    /// Deletes a delivered entry, if <paramref name="claim"/> is still the entry's lease: true then. False when another
    /// instance has claimed it since (its lease had run out): that instance delivers it again (at least once) and completes it.
    /// A lease that ran out without being taken over still completes.
    /// </summary>
    public async Task<bool> CompleteAsync(OutboxClaim claim, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"DELETE FROM outbox WHERE {Ours}");
        AddLease(command, claim);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>
    /// Counts a failed attempt and hands the entry back: due again after <see cref="OutboxOptions.RetryDelay"/>, or failed
    /// once <see cref="OutboxOptions.MaxAttempts"/> are used (as <see cref="Outbox.MarkFailedAttemptAsync"/>). False, changing
    /// nothing, when the lease is no longer <paramref name="claim"/>'s.
    /// </summary>
    public async Task<bool> RetryLaterAsync(OutboxClaim claim, string error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var now = Now;
        var attempts = claim.Message.Attempts + 1;
        var givenUp = attempts >= _options.MaxAttempts;
        await using var command = dataSource.CreateCommand($"""
            UPDATE outbox SET attempts = @attempts, last_error = @error, status = @status, failed_at = @failed_at, due_at = @due_at,
                claimed_by = NULL, claimed_until = NULL
            WHERE {Ours}
            """);
        AddLease(command, claim);
        command.Parameters.AddWithValue("attempts", attempts);
        command.Parameters.AddWithValue("error", error);
        command.Parameters.AddWithValue("status", givenUp ? Failed : Pending);
        command.Parameters.Add(new NpgsqlParameter("failed_at", NpgsqlDbType.TimestampTz) { Value = givenUp ? now : DBNull.Value });
        command.Parameters.AddWithValue("due_at", givenUp ? ToUtc(claim.Message.DueAt) : now + _options.RetryDelay(attempts));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>
    /// Hands the entry back without counting an attempt, due no earlier than <paramref name="notBeforeUtc"/> (a channel's
    /// "retry later", which holds the conversation; or now, when shutting down, so another instance takes it at once).
    /// False, changing nothing, when the lease is no longer <paramref name="claim"/>'s.
    /// </summary>
    public async Task<bool> ReleaseAsync(OutboxClaim claim, DateTime notBeforeUtc, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            UPDATE outbox SET due_at = GREATEST(due_at, @not_before), claimed_by = NULL, claimed_until = NULL WHERE {Ours}
            """);
        AddLease(command, claim);
        command.Parameters.AddWithValue("not_before", ToUtc(notBeforeUtc));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>
    /// Gives the entry up at once, without counting an attempt (undeliverable, as <see cref="Outbox.MarkUndeliverableAsync"/>):
    /// kept for staff for <see cref="OutboxOptions.FailedRetention"/>, and its conversation's next entry is claimable. False,
    /// changing nothing, when the lease is no longer <paramref name="claim"/>'s.
    /// </summary>
    public async Task<bool> FailAsync(OutboxClaim claim, string error, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            UPDATE outbox SET status = '{Failed}', failed_at = @now, last_error = @error, claimed_by = NULL, claimed_until = NULL
            WHERE {Ours}
            """);
        AddLease(command, claim);
        command.Parameters.AddWithValue("now", Now);
        command.Parameters.AddWithValue("error", error);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Every pending entry, oldest first, leased or not.</summary>
    public async Task<IReadOnlyList<PostgresOutboxEntry>> PendingAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM outbox WHERE status = '{Pending}' ORDER BY id");
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every entry, pending or failed, oldest first (a broadcast's history counts what is still here).</summary>
    public async Task<IReadOnlyList<PostgresOutboxEntry>> AllAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM outbox ORDER BY id");
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The most recently failed entries first (the <c>outbox_failed</c> index read backwards).</summary>
    public async Task<IReadOnlyList<PostgresOutboxEntry>> FailedAsync(int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM outbox WHERE status = '{Failed}' ORDER BY failed_at DESC, id DESC LIMIT @limit");
        command.Parameters.AddWithValue("limit", limit);
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How many entries wait to be delivered, and how many failed (as <see cref="Outbox.Counts"/>).</summary>
    public async Task<(int Pending, int Failed)> CountsAsync(CancellationToken cancellationToken)
    {
        var backlog = await BacklogAsync(cancellationToken).ConfigureAwait(false);
        return (backlog.Pending, backlog.Failed);
    }

    /// <summary>What waits, and the oldest undelivered reply's age on this instance's clock, in one pass (as <see cref="Outbox.Backlog"/>).</summary>
    public async Task<OutboxBacklog> BacklogAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT count(*) FILTER (WHERE status = '{Pending}'),
                count(*) FILTER (WHERE status = '{Pending}' AND NOT bulk),
                count(*) FILTER (WHERE status = '{Failed}'),
                min(created_at) FILTER (WHERE status = '{Pending}' AND NOT bulk)
            FROM outbox
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        TimeSpan? oldest = null;
        if (!reader.IsDBNull(3))
        {
            var (now, at) = (Now, reader.GetDateTime(3));
            oldest = now > at ? now - at : TimeSpan.Zero;
        }

        return new OutboxBacklog((int)reader.GetInt64(0), (int)reader.GetInt64(1), (int)reader.GetInt64(2), oldest);
    }

    /// <summary>Purges failed entries given up on before <paramref name="cutoff"/> (the hourly cleanup); returns how many.</summary>
    public async Task<int> DeleteFailedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"DELETE FROM outbox WHERE status = '{Failed}' AND failed_at < @cutoff");
        command.Parameters.AddWithValue("cutoff", cutoff.UtcDateTime);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void AddLease(NpgsqlCommand command, OutboxClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        command.Parameters.AddWithValue("id", claim.Id);
        command.Parameters.AddWithValue("claimed_by", claim.ClaimedBy);
        command.Parameters.AddWithValue("claimed_until", claim.ClaimedUntil);
    }

    private static async Task<List<PostgresOutboxEntry>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var entries = new List<PostgresOutboxEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(Read(reader));
        }

        return entries;
    }

    // In Columns' order.
    private static PostgresOutboxEntry Read(NpgsqlDataReader reader) => new(
        reader.GetInt64(0),
        new OutboxMessage
        {
            ConversationKey = reader.GetString(1),
            Channel = reader.GetString(2),
            To = reader.GetString(3),
            Message = reader.GetString(4),
            CreatedAt = reader.GetDateTime(5),
            DueAt = reader.GetDateTime(6),
            Attempts = reader.GetInt32(7),
            Status = Enum.Parse<OutboxStatus>(reader.GetString(8)),
            Bulk = reader.GetBoolean(9),
            BroadcastId = reader.IsDBNull(10) ? null : reader.GetString(10),
            LastError = reader.IsDBNull(11) ? null : reader.GetString(11),
            FailedAt = reader.IsDBNull(12) ? null : reader.GetDateTime(12),
        },
        reader.IsDBNull(13) ? null : reader.GetString(13),
        reader.IsDBNull(14) ? null : reader.GetDateTime(14));

    // timestamptz takes UTC only; as on LiteDB, a time of another kind is read as local time.
    private static DateTime ToUtc(DateTime value) => value.Kind == DateTimeKind.Utc ? value : value.ToUniversalTime();
}
