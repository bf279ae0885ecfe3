using System.Text.Json;
using CommunityBot.Broadcasts;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Engine;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace CommunityBot.Storage.Postgres;

/// <summary>
/// <see cref="GroupRegistry"/> on PostgreSQL (tables <c>chat_groups</c> and <c>resident_groups</c>), shared by every
/// instance: the groups the bot is in, for the console's broadcasts, and the group each resident last spoke in, for their
/// private chat's default place. A turn records its group and its sender in the turn's own transaction
/// (<see cref="PostgresTurnStore"/>), with the same rules as on LiteDB: only an authenticated message, a group written at
/// most once an hour per instance (<see cref="GroupSightings"/>), the staff's name and community kept, the stored reference
/// without any resident's identity, and at most <see cref="GroupRegistryOptions.MaxGroups"/> groups.
/// </summary>
/// <remarks>
/// <para>
/// A new group takes the registry's transaction-level advisory lock before it makes room and goes in, so new groups on all
/// instances are added one at a time and the limit holds across instances; a group already stored is only row-locked. The
/// lock is taken last in a turn's transaction (after the resident's), and nothing holding it waits for a resident's, so it
/// cannot deadlock with the turns.
/// </para>
/// <para>
/// Each instance keeps its own sightings: an instance that starts writes each group once on its first turn there, and a
/// group dropped by another instance to make room is written again by this one within the hour. Reads are not cached
/// (a primary-key lookup per read), so an assignment through one instance's console is seen by every instance at once.
/// </para>
/// </remarks>
public sealed class PostgresGroupRegistry(NpgsqlDataSource dataSource, IOptions<GroupRegistryOptions>? options = null)
{
    private static readonly JsonSerializerOptions Json = PostgresDocuments.Options;

    private readonly GroupRegistryOptions _options = options?.Value ?? new GroupRegistryOptions();
    private readonly GroupSightings _sightings = new();

    /// <summary>Whether the group of <paramref name="message"/> should be written now: never for an unauthenticated message.</summary>
    public bool ShouldRecord(InboundMessage message, DateTimeOffset now) =>
        message.Authenticated && _sightings.Claim(message.Conversation, now);

    /// <summary>The group's write, claimed by <see cref="ShouldRecord"/>, did not go in (its turn rolled back): the next turn writes it.</summary>
    public void NotRecorded(ConversationReference conversation) =>
        _sightings.Forget(GroupRegistry.KeyOf(conversation.Channel, conversation.ConversationId));

    /// <summary>
    /// Inserts or refreshes the group in <paramref name="transaction"/>. A new group first makes room; false when there is
    /// none, and the group is not recorded.
    /// </summary>
    public async Task<bool> RecordAsync(
        ConversationReference conversation, DateTimeOffset now, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        ArgumentNullException.ThrowIfNull(transaction);
        var key = GroupRegistry.KeyOf(conversation.Channel, conversation.ConversationId);
        var group = await HoldAsync(key, transaction, cancellationToken).ConfigureAwait(false);
        if (group is null)
        {
            await using (var lockRegistry = new NpgsqlCommand(
                "SELECT pg_advisory_xact_lock(hashtextextended('chat_groups registry', 0))", transaction.Connection, transaction))
            {
                await lockRegistry.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            // Another instance may have added it while this one waited for the lock.
            group = await HoldAsync(key, transaction, cancellationToken).ConfigureAwait(false);
        }

        if (group is null)
        {
            if (!await MakeRoomAsync(now.UtcDateTime, transaction, cancellationToken).ConfigureAwait(false))
            {
                _sightings.Forget(key);
                return false;
            }

            group = new ChatGroup
            {
                Key = key,
                Channel = conversation.Channel,
                ConversationId = conversation.ConversationId,
                FirstSeen = now.UtcDateTime,
            };
        }

        group.Reference = JsonSerializer.Serialize(GroupRegistry.Anonymous(conversation), DialogJson.Options);
        group.LastSeen = now.UtcDateTime;
        if (string.IsNullOrWhiteSpace(group.Name) && conversation.Properties.TryGetValue(GroupRegistry.NameProperty, out var name) && name.Trim().Length > 0)
        {
            group.Name = name.Trim();
        }

        await PutAsync(group, transaction, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Records the group of <paramref name="message"/> as its sender's last, in <paramref name="transaction"/>: for an
    /// authenticated group message from a known sender, when the group differs from the one stored or the stored one was
    /// written more than <see cref="GroupRegistry.ResidentStaleness"/> ago (otherwise the statement changes nothing).
    /// </summary>
    public async Task RecordResidentAsync(
        InboundMessage message, DateTimeOffset now, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(transaction);
        if (!message.Authenticated || !message.IsGroup || message.UserId.Length == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand("""
            INSERT INTO resident_groups (key, group_key, last_seen) VALUES (@key, @group_key, @now)
            ON CONFLICT (key) DO UPDATE SET group_key = excluded.group_key, last_seen = excluded.last_seen
            WHERE resident_groups.group_key <> excluded.group_key OR excluded.last_seen - resident_groups.last_seen > @staleness
            """, transaction.Connection, transaction);
        command.Parameters.AddWithValue("key", ResidentKey(message.Channel, message.UserId));
        command.Parameters.AddWithValue("group_key", GroupRegistry.KeyOf(message.Channel, message.Conversation.ConversationId));
        command.Parameters.AddWithValue("now", now.UtcDateTime);
        command.Parameters.AddWithValue("staleness", GroupRegistry.ResidentStaleness);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The group the user last spoke in on this channel, or null.</summary>
    public async Task<ChatGroup?> LastGroupOfAsync(string channel, string userId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT g.doc FROM resident_groups r JOIN chat_groups g ON g.key = r.group_key WHERE r.key = @key");
        command.Parameters.AddWithValue("key", ResidentKey(channel, userId));
        return (await ReadAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    public async Task<ChatGroup?> FindAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var command = dataSource.CreateCommand("SELECT doc FROM chat_groups WHERE key = @key");
        command.Parameters.AddWithValue("key", key);
        return (await ReadAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    /// <summary>Every group: those tied to a community first, by community and label; then the others by label.</summary>
    public async Task<IReadOnlyList<ChatGroup>> AllAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT doc FROM chat_groups");
        return (await ReadAsync(command, cancellationToken).ConfigureAwait(false))
            .OrderBy(g => g.CommunityId ?? "\uffff", StringComparer.Ordinal).ThenBy(g => g.Label, StringComparer.Ordinal).ToList();
    }

    /// <summary>Sets the console's fields of a group in <paramref name="transaction"/>; false when there is no such group.</summary>
    public async Task<bool> AssignAsync(
        string key, string? name, string? communityId, string? compoundId, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(transaction);
        if (await HoldAsync(key, transaction, cancellationToken).ConfigureAwait(false) is not { } group)
        {
            return false;
        }

        group.Name = name;
        group.CommunityId = communityId;
        group.CompoundId = compoundId;
        await PutAsync(group, transaction, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Registers the group (if new) under <paramref name="name"/> and ties it to the community and compound, as 群管理 does.</summary>
    public async Task<bool> TieAsync(
        ConversationReference conversation, string name, string communityId, string? compoundId, DateTimeOffset now,
        NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        await RecordAsync(conversation, now, transaction, cancellationToken).ConfigureAwait(false)
        && await AssignAsync(GroupRegistry.KeyOf(conversation.Channel, conversation.ConversationId), name, communityId, compoundId, transaction, cancellationToken)
            .ConfigureAwait(false);

    private static string ResidentKey(string channel, string userId) => channel + "|" + userId;

    // Under the registry's lock: drops residents' last groups and unassigned groups not seen within the retention, then,
    // at the limit, the least recently seen unassigned group. False when every group is tied to a community.
    private async Task<bool> MakeRoomAsync(DateTime now, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var connection = transaction.Connection!;
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                // A resident's last group is kept no longer than an unassigned group is: it says where they were.
                new NpgsqlBatchCommand("DELETE FROM resident_groups WHERE last_seen < @cutoff") { Parameters = { new("cutoff", now - _options.UnassignedRetention) } },
                new NpgsqlBatchCommand("DELETE FROM chat_groups WHERE community_id IS NULL AND last_seen < @cutoff RETURNING key")
                {
                    Parameters = { new("cutoff", now - _options.UnassignedRetention) },
                },
                new NpgsqlBatchCommand("SELECT count(*) FROM chat_groups"),
            },
        };
        long count;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            // The reader starts at the first statement returning rows (the groups dropped), then the count.
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                _sightings.Forget(reader.GetString(0));
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            count = reader.GetInt64(0);
        }

        if (count < _options.MaxGroups)
        {
            return true;
        }

        await using var evict = new NpgsqlCommand("""
            DELETE FROM chat_groups WHERE key = (
                SELECT key FROM chat_groups WHERE community_id IS NULL ORDER BY last_seen, key LIMIT 1 FOR UPDATE)
            RETURNING key
            """, connection, transaction);
        if (await evict.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not string evicted)
        {
            return false;
        }

        _sightings.Forget(evicted);
        return true;
    }

    private static async Task<ChatGroup?> HoldAsync(string key, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT doc FROM chat_groups WHERE key = @key FOR UPDATE", transaction.Connection, transaction);
        command.Parameters.AddWithValue("key", key);
        return (await ReadAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    private static async Task PutAsync(ChatGroup group, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO chat_groups (key, community_id, last_seen, doc) VALUES (@key, @community_id, @last_seen, @doc)
            ON CONFLICT (key) DO UPDATE SET community_id = excluded.community_id, last_seen = excluded.last_seen, doc = excluded.doc
            """, transaction.Connection, transaction);
        command.Parameters.AddWithValue("key", group.Key);
        command.Parameters.Add(new NpgsqlParameter("community_id", NpgsqlDbType.Text) { Value = (object?)group.CommunityId ?? DBNull.Value });
        command.Parameters.AddWithValue("last_seen", PostgresDocuments.ToUtc(group.LastSeen));
        command.Parameters.Add(new NpgsqlParameter("doc", NpgsqlDbType.Json) { Value = JsonSerializer.Serialize(group, Json) });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<List<ChatGroup>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var groups = new List<ChatGroup>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            groups.Add(JsonSerializer.Deserialize<ChatGroup>(reader.GetString(0), Json) ?? throw new InvalidOperationException("A stored chat group is null."));
        }

        return groups;
    }
}
