using CommunityBot.Broadcasts;
using Npgsql;

namespace CommunityBot.Storage.Postgres;

/// <summary>
/// <see cref="BroadcastService"/>'s records on PostgreSQL (table <c>broadcasts</c>, migration 6), for several instances
/// sharing one database. A broadcast is inserted in the caller's transaction keyed unique on its request id (the confirm
/// form's one-time id), with its outbox entries (<see cref="PostgresOutbox"/>) in that same transaction only when the row was
/// inserted: the same form posted to two instances at once makes one broadcast and one set of entries. The second insert
/// waits for the first's transaction, then finds its broadcast (or, when that rolled back, inserts its own). Progress is
/// read back from what is left in the shared outbox, as on LiteDB.
/// </summary>
/// <remarks>READ COMMITTED (the default): the look-up after a conflict sees the row the insert waited for.</remarks>
public sealed class PostgresBroadcastStore(NpgsqlDataSource dataSource, PostgresOutbox outbox, TimeProvider time)
{
    private const string Columns = "id, request_id, author, text, created_at, group_keys";

    // Any unique key: the request id (the same form again) or the id (another broadcast in the same millisecond, on any
    // instance). A conflict with a row not yet committed waits for its transaction.
    private const string Insert = """
        INSERT INTO broadcasts (id, request_id, author, text, created_at, group_keys)
        VALUES (@id, @request_id, @author, @text, @created_at, @group_keys)
        ON CONFLICT DO NOTHING
        """;

    /// <summary>
    /// Records the broadcast and queues one bulk message per group in <paramref name="transaction"/>, which the caller
    /// commits (the entries notify the dispatchers then). When a broadcast with the same <paramref name="requestId"/> is
    /// committed (the confirm form sent twice, to this instance or another), returns that one and queues nothing
    /// (<c>IsNew</c> false).
    /// </summary>
    public async Task<(Broadcast Broadcast, bool IsNew)> SendAsync(
        string author, string text, IReadOnlyList<ChatGroup> groups, string requestId, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        ArgumentNullException.ThrowIfNull(groups);
        var connection = transaction?.Connection ?? throw new InvalidOperationException("The transaction has already ended.");
        var (broadcast, entries) = BroadcastService.Compose(author, text, groups, requestId, time.GetUtcNow(), outbox.Create);
        while (true)
        {
            await using (var insert = new NpgsqlCommand(Insert, connection, transaction))
            {
                insert.Parameters.AddWithValue("id", broadcast.Id);
                insert.Parameters.AddWithValue("request_id", requestId);
                insert.Parameters.AddWithValue("author", author);
                insert.Parameters.AddWithValue("text", text);
                insert.Parameters.AddWithValue("created_at", PostgresDocuments.ToUtc(broadcast.CreatedAt));
                insert.Parameters.AddWithValue("group_keys", broadcast.GroupKeys.ToArray());
                if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                {
                    await outbox.InsertAsync(entries, transaction, cancellationToken).ConfigureAwait(false);
                    return (broadcast, true);
                }
            }

            await using (var sent = new NpgsqlCommand($"SELECT {Columns} FROM broadcasts WHERE request_id = @request_id", connection, transaction))
            {
                sent.Parameters.AddWithValue("request_id", requestId);
                if ((await ReadAsync(sent, cancellationToken).ConfigureAwait(false)).SingleOrDefault() is { } first)
                {
                    return (first, false);
                }
            }

            // Not the form again, so the id was taken: two broadcasts in the same millisecond get distinct ids.
            broadcast.Id += "x";
            entries.ForEach(e => e.BroadcastId = broadcast.Id);
        }
    }

    /// <summary>The most recent committed broadcasts first.</summary>
    public async Task<IReadOnlyList<Broadcast>> RecentAsync(int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM broadcasts ORDER BY created_at DESC, id DESC LIMIT @limit");
        command.Parameters.AddWithValue("limit", limit);
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Delivered, pending and failed counts of every broadcast in <paramref name="broadcasts"/> (one outbox query), counting
    /// only the groups in <paramref name="onlyGroups"/> when given, as <see cref="BroadcastService.Progress"/>.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, BroadcastProgress>> ProgressAsync(
        IReadOnlyList<Broadcast> broadcasts, IReadOnlySet<string>? onlyGroups, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(broadcasts);
        bool Counted(string groupKey) => onlyGroups is null || onlyGroups.Contains(groupKey);
        // An outbox entry's conversation key is its group's key ("channel/conversation", GroupRegistry.KeyOf).
        await using var command = dataSource.CreateCommand("""
            SELECT broadcast_id, count(*) FILTER (WHERE status = 'Pending'), count(*) FILTER (WHERE status = 'Failed')
            FROM outbox
            WHERE broadcast_id = ANY(@ids) AND (@all OR conversation_key = ANY(@groups))
            GROUP BY broadcast_id
            """);
        command.Parameters.AddWithValue("ids", broadcasts.Select(b => b.Id).ToArray());
        command.Parameters.AddWithValue("all", onlyGroups is null);
        command.Parameters.AddWithValue("groups", (onlyGroups ?? new HashSet<string>()).ToArray());
        var left = new Dictionary<string, (int Pending, int Failed)>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                left[reader.GetString(0)] = ((int)reader.GetInt64(1), (int)reader.GetInt64(2));
            }
        }

        return broadcasts.ToDictionary(b => b.Id, b =>
        {
            var (pending, failed) = left.GetValueOrDefault(b.Id);
            var groups = b.GroupKeys.Count(Counted);
            return new BroadcastProgress(groups, groups - pending - failed, pending, failed);
        });
    }

    private static async Task<List<Broadcast>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var broadcasts = new List<Broadcast>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            broadcasts.Add(new Broadcast
            {
                Id = reader.GetString(0),
                RequestId = reader.GetString(1),
                Author = reader.GetString(2),
                Text = reader.GetString(3),
                CreatedAt = reader.GetDateTime(4),
                GroupKeys = [.. reader.GetFieldValue<string[]>(5)],
            });
        }

        return broadcasts;
    }
}
