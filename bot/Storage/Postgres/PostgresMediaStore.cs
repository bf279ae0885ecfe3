using System.Security.Cryptography;
using System.Text.Json;
using CommunityBot.Media;
using Npgsql;
using NpgsqlTypes;

namespace CommunityBot.Storage.Postgres;

/// <summary>
/// <see cref="MediaStore"/> on PostgreSQL (tables <c>media</c> and <c>media_files</c>), shared by every instance: the records
/// of re-hosted photos and their bytes, kept in the database under their SHA-256 (the same photo sent twice is kept once), so
/// an instance serves a photo another fetched. New records are inserted in the ticket's transaction (<see cref="InsertAsync"/>).
/// An instance takes pending photos with <see cref="ClaimDueAsync"/>, a lease for a while, so two instances never download
/// the same photo at once and one that dies mid-fetch leaves it to the others once the lease runs out; storing, retrying
/// and giving up change the photo only while the lease is still the claimer's.
/// </summary>
/// <remarks>
/// A photo is one <c>json</c> document beside the columns its queries use. Settling a photo first locks every row of its
/// batch, so of two instances settling a batch's last two photos at once the second waits for the first and exactly one
/// sees the batch complete. Leases and due times are on the callers' clocks, which must agree to well within a lease, and a
/// lease must outlast a fetch (<see cref="MediaOptions.FetchTimeout"/>) with room to spare. READ COMMITTED (the default).
/// </remarks>
public sealed class PostgresMediaStore(NpgsqlDataSource dataSource)
{
    /// <summary>The largest photo kept (the table's check): <see cref="MediaOptions.MaxBytes"/>'s largest allowed value.</summary>
    public const int MaxBytes = 100 * 1024 * 1024;

    private const string Pending = nameof(MediaStatus.Pending);

    private const string Upsert = """
        INSERT INTO media (id, batch, ticket_number, status, created_at, next_attempt_at, sha256, doc)
        VALUES (@id, @batch, @ticket_number, @status, @created_at, @next_attempt_at, @sha256, @doc)
        ON CONFLICT (id) DO UPDATE SET batch = excluded.batch, ticket_number = excluded.ticket_number, status = excluded.status,
            created_at = excluded.created_at, next_attempt_at = excluded.next_attempt_at, sha256 = excluded.sha256,
            claimed_by = NULL, claimed_until = NULL, doc = excluded.doc
        """;

    // Pending, due, and not leased (a run-out lease does not count), oldest first; a row another transaction holds (a claim
    // or a settle in flight) is skipped, never waited for, and a row changed meanwhile is checked again on its latest version.
    private const string Claim = $"""
        UPDATE media m SET claimed_by = @claimed_by, claimed_until = @claimed_until
        FROM (
            SELECT id FROM media
            WHERE status = '{Pending}' AND next_attempt_at <= @now AND (claimed_until IS NULL OR claimed_until <= @now)
            ORDER BY created_at, id
            LIMIT @limit
            FOR UPDATE SKIP LOCKED
        ) due
        WHERE m.id = due.id
        RETURNING m.doc, m.claimed_by, m.claimed_until
        """;

    // A lease is the claimer's while the row still names it: claimed_until as stored is new with every claim.
    private const string Ours = "id = @id AND claimed_by = @claimed_by AND claimed_until = @claimed_until";

    private static readonly JsonSerializerOptions Json = PostgresDocuments.Options;

    private readonly WorkSignal _signal = new();

    /// <summary>
    /// Writes the records (a record written again is replaced, its lease dropped) in <paramref name="transaction"/>, the
    /// ticket's: they exist exactly when the ticket's change committed. Call <see cref="Wake"/> after the commit.
    /// </summary>
    public async Task InsertAsync(IEnumerable<MediaItem> items, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        await using var batch = new NpgsqlBatch(ConnectionOf(transaction), transaction);
        foreach (var item in items)
        {
            var command = new NpgsqlBatchCommand(Upsert);
            AddRow(command.Parameters, item);
            batch.BatchCommands.Add(command);
        }

        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Tells this instance's fetcher there are new photos (the others find them at their next look).</summary>
    public void Wake() => _signal.Wake();

    /// <summary>Waits until <see cref="Wake"/> is called or <paramref name="timeout"/> passes on <paramref name="time"/>.</summary>
    public Task WaitForWorkAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, time, cancellationToken);

    public async Task<MediaItem?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (!MediaStore.IsId(id))
        {
            return null;
        }

        await using var command = dataSource.CreateCommand("SELECT doc FROM media WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return (await ReadAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    /// <summary>The photos recorded for a ticket, in the order they were recorded.</summary>
    public async Task<IReadOnlyList<MediaItem>> OfTicketAsync(string ticketNumber, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticketNumber);
        await using var command = dataSource.CreateCommand("SELECT doc FROM media WHERE ticket_number = @ticket ORDER BY created_at, id");
        command.Parameters.AddWithValue("ticket", ticketNumber);
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Leases to <paramref name="instanceId"/>, for <paramref name="leaseFor"/> from <paramref name="now"/>, up to
    /// <paramref name="limit"/> pending photos whose next attempt is due, the oldest first: those no other instance holds a
    /// lease on (one that ran out does not count) and no other claim is taking right now. Never waits for another instance.
    /// </summary>
    public async Task<IReadOnlyList<MediaClaim>> ClaimDueAsync(
        string instanceId, DateTimeOffset now, int limit, TimeSpan leaseFor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseFor, TimeSpan.Zero);
        await using var command = dataSource.CreateCommand(Claim);
        command.Parameters.AddWithValue("now", now.UtcDateTime);
        command.Parameters.AddWithValue("limit", limit);
        command.Parameters.AddWithValue("claimed_by", instanceId);
        command.Parameters.AddWithValue("claimed_until", now.UtcDateTime + leaseFor);
        var claims = new List<MediaClaim>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                claims.Add(new MediaClaim(Deserialize(reader.GetString(0)), reader.GetString(1), reader.GetDateTime(2)));
            }
        }

        return claims.OrderBy(c => c.Item.CreatedAt).ThenBy(c => c.Item.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>The bytes of <paramref name="item"/> as stored, or null when it has none (pending, failed, or the bytes are gone).</summary>
    public async Task<byte[]?> ContentOfAsync(MediaItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item is not { Status: MediaStatus.Stored, Sha256: { Length: 64 } hash } || !hash.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }

        await using var command = dataSource.CreateCommand("SELECT bytes FROM media_files WHERE sha256 = @sha256");
        command.Parameters.AddWithValue("sha256", hash);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as byte[];
    }

    /// <summary>
    /// Keeps the bytes under their hash (once, whoever else sent the same photo) and marks the photo stored, in
    /// <paramref name="transaction"/>, while <paramref name="claim"/> is still its lease; null (and nothing written) when
    /// another instance has claimed it since. When this settles the last pending photo of its batch, the settlement carries
    /// the batch: what the listeners write then belongs in the same transaction.
    /// </summary>
    public async Task<MediaSettlement?> StoreAsync(
        MediaClaim claim, byte[] bytes, string contentType, DateTimeOffset at, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(contentType);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes.Length, MaxBytes);
        var item = claim.Item;
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        item.Status = MediaStatus.Stored;
        item.Sha256 = hash;
        item.Size = bytes.Length;
        item.ContentType = contentType;
        item.Failure = null;
        item.SettledAt = at.UtcDateTime;
        return await SettleAsync(claim, transaction, async () =>
        {
            await using var command = new NpgsqlCommand(
                "INSERT INTO media_files (sha256, bytes, stored_at) VALUES (@sha256, @bytes, @stored_at) ON CONFLICT (sha256) DO NOTHING",
                ConnectionOf(transaction), transaction);
            command.Parameters.AddWithValue("sha256", hash);
            command.Parameters.Add(new NpgsqlParameter("bytes", NpgsqlDbType.Bytea) { Value = bytes });
            command.Parameters.AddWithValue("stored_at", at.UtcDateTime);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Counts a failed attempt, schedules the next at <paramref name="next"/> and hands the lease back, while
    /// <paramref name="claim"/> is still the photo's lease: false (and nothing changed) when another instance has claimed it since.
    /// </summary>
    public async Task<bool> RetryLaterAsync(MediaClaim claim, string failure, DateTimeOffset next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var item = claim.Item;
        item.Status = MediaStatus.Pending;
        item.Failure = failure;
        item.NextAttemptAt = next.UtcDateTime;
        await using var command = dataSource.CreateCommand(
            $"UPDATE media SET status = @status, next_attempt_at = @next_attempt_at, sha256 = @sha256, claimed_by = NULL, claimed_until = NULL, doc = @doc WHERE {Ours}");
        AddState(command.Parameters, item);
        AddLease(command.Parameters, claim);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Gives the photo up as not kept, in <paramref name="transaction"/>; settles its batch like <see cref="StoreAsync"/>.</summary>
    public Task<MediaSettlement?> FailAsync(
        MediaClaim claim, string failure, DateTimeOffset at, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var item = claim.Item;
        item.Status = MediaStatus.Failed;
        item.Failure = failure;
        item.SettledAt = at.UtcDateTime;
        return SettleAsync(claim, transaction, static () => Task.CompletedTask, cancellationToken);
    }

    // The batch's rows are locked first, in one order whoever settles, so two settles of one batch run one after the other
    // and the second's read (a statement of its own, so its snapshot comes after the lock) sees the first's outcome.
    private async Task<MediaSettlement?> SettleAsync(
        MediaClaim claim, NpgsqlTransaction transaction, Func<Task> alsoWrite, CancellationToken cancellationToken)
    {
        var item = claim.Item;
        var connection = ConnectionOf(transaction);
        await using (var hold = new NpgsqlCommand(
            "SELECT id FROM media WHERE ticket_number = @ticket AND batch = @batch ORDER BY id FOR UPDATE", connection, transaction))
        {
            hold.Parameters.AddWithValue("ticket", item.TicketNumber);
            hold.Parameters.AddWithValue("batch", item.Batch);
            await hold.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var settle = new NpgsqlCommand(
            $"UPDATE media SET status = @status, next_attempt_at = @next_attempt_at, sha256 = @sha256, claimed_by = NULL, claimed_until = NULL, doc = @doc WHERE {Ours}",
            connection, transaction))
        {
            AddState(settle.Parameters, item);
            AddLease(settle.Parameters, claim);
            if (await settle.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
            {
                return null;
            }
        }

        await alsoWrite().ConfigureAwait(false);
        await using var read = new NpgsqlCommand(
            "SELECT doc FROM media WHERE ticket_number = @ticket AND batch = @batch ORDER BY created_at, id", connection, transaction);
        read.Parameters.AddWithValue("ticket", item.TicketNumber);
        read.Parameters.AddWithValue("batch", item.Batch);
        var batch = await ReadAsync(read, cancellationToken).ConfigureAwait(false);
        return new MediaSettlement(item, batch.All(m => m.Status != MediaStatus.Pending) ? batch : null);
    }

    private static void AddRow(NpgsqlParameterCollection parameters, MediaItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!MediaStore.IsId(item.Id))
        {
            throw new ArgumentException($"'{item.Id}' is not a media id.", nameof(item));
        }

        parameters.AddWithValue("id", item.Id);
        parameters.AddWithValue("batch", item.Batch);
        parameters.AddWithValue("ticket_number", item.TicketNumber);
        parameters.AddWithValue("created_at", PostgresDocuments.ToUtc(item.CreatedAt));
        AddState(parameters, item);
    }

    private static void AddState(NpgsqlParameterCollection parameters, MediaItem item)
    {
        parameters.AddWithValue("status", item.Status.ToString());
        parameters.AddWithValue("next_attempt_at", PostgresDocuments.ToUtc(item.NextAttemptAt));
        parameters.Add(new NpgsqlParameter("sha256", NpgsqlDbType.Text) { Value = (object?)item.Sha256 ?? DBNull.Value });
        parameters.Add(new NpgsqlParameter("doc", NpgsqlDbType.Json) { Value = JsonSerializer.Serialize(item, Json) });
    }

    private static void AddLease(NpgsqlParameterCollection parameters, MediaClaim claim)
    {
        parameters.AddWithValue("id", claim.Item.Id);
        parameters.AddWithValue("claimed_by", claim.ClaimedBy);
        parameters.AddWithValue("claimed_until", claim.ClaimedUntil);
    }

    private static NpgsqlConnection ConnectionOf(NpgsqlTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return transaction.Connection ?? throw new InvalidOperationException("The transaction has already ended.");
    }

    private static MediaItem Deserialize(string json) =>
        JsonSerializer.Deserialize<MediaItem>(json, Json) ?? throw new InvalidOperationException("A stored photo record is null.");

    private static async Task<List<MediaItem>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var items = new List<MediaItem>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            items.Add(Deserialize(reader.GetString(0)));
        }

        return items;
    }
}
