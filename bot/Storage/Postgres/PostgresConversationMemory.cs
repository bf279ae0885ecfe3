using CommunityBot.Dialogs.Conversation;
using Npgsql;

namespace CommunityBot.Storage.Postgres;

/// <summary>
/// <see cref="Conversation.LiteDbConversationMemory"/> on PostgreSQL (table <c>conversation_marks</c>): one-off facts about
/// a conversation ("greeted"), marked once across every instance by the key's primary key, so a group that two instances
/// hear of at once is greeted by one.
/// </summary>
public sealed class PostgresConversationMemory(NpgsqlDataSource dataSource) : IConversationMemory
{
    public async Task<bool> MarkOnceAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var command = dataSource.CreateCommand("INSERT INTO conversation_marks (key, at) VALUES (@key, now()) ON CONFLICT (key) DO NOTHING");
        // The same bound as on LiteDB, so a key marks the same fact on either provider.
        command.Parameters.AddWithValue("key", StorageKeys.Bound(key));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }
}
