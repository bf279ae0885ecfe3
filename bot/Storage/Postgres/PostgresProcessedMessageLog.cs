using CommunityBot.Conversation;
using Npgsql;

namespace CommunityBot.Storage.Postgres;

/// <summary>
/// <see cref="ProcessedMessageLog"/> on PostgreSQL (table <c>processed_messages</c>), shared by every instance: a message id
/// is recorded in the transaction that commits its turn, under the table's primary key, so a redelivery that reached a second
/// instance is found there, or, when both turns commit at once, the second one's <see cref="AddAsync"/> reports a duplicate.
/// Keys are <see cref="ProcessedMessageLog.KeyOf"/>'s.
/// </summary>
public sealed class PostgresProcessedMessageLog(NpgsqlDataSource dataSource)
{
    public async Task<bool> ContainsAsync(string key, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM processed_messages WHERE key = @key)");
        command.Parameters.AddWithValue("key", key);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Records the message in <paramref name="transaction"/> (the turn's). False, recording nothing, when the id is already
    /// recorded: committed, or by a transaction still open elsewhere, which this waits for (and records the id after all
    /// when that one rolls back). On false the caller rolls its transaction back: that turn was processed elsewhere.
    /// </summary>
    public async Task<bool> AddAsync(NpgsqlTransaction transaction, string key, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        // ON CONFLICT DO NOTHING rather than catching a unique violation: that would leave the transaction aborted.
        await using var command = new NpgsqlCommand(
            "INSERT INTO processed_messages (key, processed_at) VALUES (@key, @at) ON CONFLICT (key) DO NOTHING",
            transaction.Connection,
            transaction);
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("at", at.UtcDateTime);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Forgets ids recorded before <paramref name="cutoff"/>; returns how many.</summary>
    public async Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM processed_messages WHERE processed_at < @cutoff");
        command.Parameters.AddWithValue("cutoff", cutoff.UtcDateTime);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
