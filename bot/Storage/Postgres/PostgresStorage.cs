using CommunityBot.Conversation;
using Microsoft.Bot.Builder;
using Npgsql;

namespace CommunityBot.Storage.Postgres;

/// <summary>
/// Bot Builder's <see cref="IStorage"/> on PostgreSQL (table <c>bot_state</c>), with the contract of <see cref="LiteDbStorage"/>:
/// a write of an <see cref="IStoreItem"/> whose ETag is not the stored item's throws <see cref="StorageConflictException"/>; an
/// ETag of <c>"*"</c>, none, or a new key overwrites; every write gives the item a new ETag. Inside a turn
/// (<see cref="BeginTurn"/>) writes and deletes are held in the turn's <see cref="StorageTurn"/> and applied by
/// <see cref="CommitTurnAsync"/> in the caller's transaction. Several instances may share the database: the ETag check is one
/// conditional upsert whose row count the database reports, so of two instances writing one item from the same read exactly
/// one succeeds, and <see cref="LockResidentAsync"/> keeps one resident's turns from running on two instances at once.
/// </summary>
/// <remarks>
/// Keys are stored as <see cref="StorageKeys.BoundUserKey"/> makes them (the btree's entry limit is about 2.7 kB, and a
/// conversation's users keep one stored prefix, as on LiteDB). Reads and held-write checks use their own pooled connections
/// and see committed data only: the turn's transaction is the caller's, and nothing is read through it.
/// </remarks>
public sealed class PostgresStorage(NpgsqlDataSource dataSource, TimeProvider time) : ITurnStorage
{
    // One statement per write, so the check and the write are one atomic step: a new key is inserted; an existing row is
    // updated only while its ETag is still the one expected (the DO UPDATE's WHERE sees the row's latest committed version,
    // waiting for a concurrent writer's transaction to end). 0 rows affected means the ETag had changed: a conflict.
    private const string CheckedUpsert = """
        INSERT INTO bot_state (key, json, etag, last_active) VALUES (@key, @json, @etag, @last_active)
        ON CONFLICT (key) DO UPDATE SET json = excluded.json, etag = excluded.etag, last_active = excluded.last_active
        WHERE bot_state.etag = @expected
        """;

    private const string Upsert = """
        INSERT INTO bot_state (key, json, etag, last_active) VALUES (@key, @json, @etag, @last_active)
        ON CONFLICT (key) DO UPDATE SET json = excluded.json, etag = excluded.etag, last_active = excluded.last_active
        """;

    private readonly AsyncLocal<StorageTurn?> _turn = new();

    /// <summary>
    /// Holds this async flow's writes (the turn's) from now on; the caller applies them with <see cref="CommitTurnAsync"/> in
    /// its transaction, or drops them by not doing so.
    /// </summary>
    public StorageTurn BeginTurn()
    {
        var turn = new StorageTurn();
        _turn.Value = turn;
        return turn;
    }

    public async Task<IDictionary<string, object>> ReadAsync(string[] keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var found = new Dictionary<string, object>(keys.Length, StringComparer.Ordinal);
        var turn = _turn.Value;
        var stored = new Dictionary<string, string>(StringComparer.Ordinal); // stored key → the key asked for
        foreach (var key in keys)
        {
            if (turn is not null && turn.TryGet(key, out var pending))
            {
                if (pending.Json is not null)
                {
                    found[key] = StoredItem.Parse(pending.Json, pending.ETag);
                }
            }
            else
            {
                stored[StorageKeys.BoundUserKey(key)] = key;
            }
        }

        if (stored.Count == 0)
        {
            return found;
        }

        await using var command = dataSource.CreateCommand("SELECT key, json, etag FROM bot_state WHERE key = ANY(@keys)");
        command.Parameters.AddWithValue("keys", stored.Keys.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            found[stored[reader.GetString(0)]] = StoredItem.Parse(reader.GetString(1), reader.GetString(2));
        }

        return found;
    }

    public Task WriteAsync(IDictionary<string, object> changes, CancellationToken cancellationToken) =>
        WriteAsync(changes, _turn.Value, cancellationToken);

    /// <summary>
    /// <see cref="WriteAsync(IDictionary{string, object}, CancellationToken)"/> at once (in a transaction of its own), even
    /// inside a turn: a write to another resident's state that must not wait for (or fail with) the current turn's commit.
    /// ETags are checked the same; a conflict writes none of <paramref name="changes"/>.
    /// </summary>
    public Task WriteNowAsync(IDictionary<string, object> changes, CancellationToken cancellationToken = default) =>
        WriteAsync(changes, null, cancellationToken);

    public async Task DeleteAsync(string[] keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (_turn.Value is { } turn)
        {
            var now = time.GetUtcNow().UtcDateTime;
            foreach (var key in keys)
            {
                turn.Set(PendingWrite.Delete(key, now));
            }

            return;
        }

        await using var command = dataSource.CreateCommand("DELETE FROM bot_state WHERE key = ANY(@keys)");
        command.Parameters.AddWithValue("keys", keys.Select(StorageKeys.BoundUserKey).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Applies a turn's held writes in <paramref name="transaction"/> (the turn's, which the caller commits). Throws
    /// <see cref="StorageConflictException"/> when an item changed since the turn read it; the caller then rolls back, so
    /// none of the turn is kept.
    /// </summary>
    public Task CommitTurnAsync(StorageTurn turn, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        return ApplyAsync([.. turn.Writes], transaction, cancellationToken);
    }

    /// <summary>
    /// Waits for, then holds until <paramref name="transaction"/> ends, the lock of one resident (their state key,
    /// <c>{channel}/{conversation}/{user}</c>), on every instance sharing the database: a turn that takes it first in its
    /// transaction never runs beside another turn of the same resident. Different residents' turns do not wait for each
    /// other (two keys whose 64-bit hashes collide would, harmlessly).
    /// </summary>
    public static async Task LockResidentAsync(NpgsqlTransaction transaction, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(key);
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))", transaction.Connection, transaction);
        command.Parameters.AddWithValue("key", key);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The raw items whose stored keys start with <paramref name="prefix"/> (at most <paramref name="limit"/>, in key order).</summary>
    public async Task<IReadOnlyList<(string Key, StoredItem Item)>> FindByPrefixAsync(string prefix, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        // The column's "C" collation lets a LIKE with a literal prefix use the primary key's btree; the prefix's own
        // wildcards and the escape character are escaped so it matches as typed.
        await using var command = dataSource.CreateCommand(
            "SELECT key, json, etag FROM bot_state WHERE key LIKE @pattern ORDER BY key LIMIT @limit");
        command.Parameters.AddWithValue("pattern", EscapeLike(prefix) + "%");
        command.Parameters.AddWithValue("limit", limit);
        var items = new List<(string Key, StoredItem Item)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            items.Add((reader.GetString(0), StoredItem.Parse(reader.GetString(1), reader.GetString(2))));
        }

        return items;
    }

    /// <summary>
    /// The items of every user in one conversation: keys <c>{head}/users/{user}</c> for the given head
    /// (<c>{channel}/conversations/{conversation}</c>), found by their stored prefix however long the conversation id is.
    /// </summary>
    public Task<IReadOnlyList<(string Key, StoredItem Item)>> FindUsersOfAsync(string head, int limit, CancellationToken cancellationToken) =>
        FindByPrefixAsync(StorageKeys.BoundUserKeyPrefix(head), limit, cancellationToken);

    /// <summary>Removes items written last before <paramref name="cutoff"/>; returns how many.</summary>
    public async Task<int> DeleteIdleSinceAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM bot_state WHERE last_active < @cutoff");
        command.Parameters.AddWithValue("cutoff", cutoff.UtcDateTime);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteAsync(IDictionary<string, object> changes, StorageTurn? heldIn, CancellationToken cancellationToken)
    {
        var writes = PendingWrite.Of(changes, time.GetUtcNow().UtcDateTime);
        if (heldIn is { } turn)
        {
            var ask = writes.Where(w => w.Write.ExpectedETag is not null && !turn.TryGet(w.Write.Key, out _)).Select(w => w.Write.Key).ToList();
            var stored = await ReadETagsAsync(ask, cancellationToken).ConfigureAwait(false);
            turn.Hold(writes, key => stored.GetValueOrDefault(key));
            return;
        }

        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
        {
            await ApplyAsync(writes.Select(w => w.Write).ToList(), transaction, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var (write, item) in writes)
        {
            item?.ETag = write.ETag;
        }
    }

    private async Task<Dictionary<string, string>> ReadETagsAsync(List<string> keys, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        if (keys.Count == 0)
        {
            return found;
        }

        var asked = keys.ToDictionary(StorageKeys.BoundUserKey, k => k, StringComparer.Ordinal);
        await using var command = dataSource.CreateCommand("SELECT key, etag FROM bot_state WHERE key = ANY(@keys)");
        command.Parameters.AddWithValue("keys", asked.Keys.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            found[asked[reader.GetString(0)]] = reader.GetString(1);
        }

        return found;
    }

    // One round trip: every write is a command of one batch, and each checked one's row count says whether it held.
    private static async Task ApplyAsync(IReadOnlyList<PendingWrite> writes, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        if (writes.Count == 0)
        {
            return;
        }

        await using var batch = new NpgsqlBatch(transaction.Connection, transaction);
        foreach (var write in writes)
        {
            var key = StorageKeys.BoundUserKey(write.Key);
            if (write.Json is null)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM bot_state WHERE key = @key") { Parameters = { new("key", key) } });
                continue;
            }

            var command = new NpgsqlBatchCommand(write.ExpectedETag is null ? Upsert : CheckedUpsert)
            {
                Parameters =
                {
                    new("key", key),
                    new("json", write.Json),
                    new("etag", write.ETag!),
                    new("last_active", write.LastActive),
                },
            };
            if (write.ExpectedETag is { } expected)
            {
                command.Parameters.Add(new("expected", expected));
            }

            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < writes.Count; i++)
        {
            if (writes[i] is { Json: not null, ExpectedETag: not null } && batch.BatchCommands[i].RecordsAffected == 0)
            {
                throw new StorageConflictException(writes[i].Key);
            }
        }
    }

    private static string EscapeLike(string text) =>
        text.Replace(@"\", @"\\", StringComparison.Ordinal)
            .Replace("%", @"\%", StringComparison.Ordinal)
            .Replace("_", @"\_", StringComparison.Ordinal);
}
