using CommunityBot.Conversation;
using Npgsql;

namespace CommunityBot.Storage.Postgres;

/// <summary>
/// <see cref="ITurnStore"/> on PostgreSQL, for several instances sharing one database: each turn is a
/// <see cref="PostgresTurn"/>, one transaction that takes the resident's lock before anything of the turn is read and commits
/// the message id, the state writes (ETag-checked) and the replies (as outbox entries, which notify the dispatchers).
/// </summary>
/// <remarks>
/// Not on PostgreSQL yet: the group registry (a group's first message of the hour and a resident's last group are not
/// recorded, so a broadcast and a private chat's default place do not learn of them) and a proactive turn's
/// <see cref="TurnRecord.AlsoCommit"/>, which fails the commit with <see cref="NotSupportedException"/>, keeping nothing.
/// </remarks>
public sealed class PostgresTurnStore(
    NpgsqlDataSource dataSource, PostgresProcessedMessageLog processed, PostgresStorage storage, PostgresOutbox outbox) : ITurnStore
{
    public async Task<ITurnTransaction> BeginAsync(string stateKey, string messageKey, CancellationToken cancellationToken) =>
        new Transaction(processed, storage, outbox, await PostgresTurn.BeginAsync(dataSource, stateKey, messageKey, cancellationToken).ConfigureAwait(false));

    private sealed class Transaction(
        PostgresProcessedMessageLog processed, PostgresStorage storage, PostgresOutbox outbox, PostgresTurn turn) : ITurnTransaction
    {
        public bool AlreadyProcessed => turn.AlreadyProcessed;

        public Task<bool> CommitAsync(TurnRecord record, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(record);
            if (record.AlsoCommit is not null)
            {
                throw new NotSupportedException("A proactive turn's own writes are not stored on PostgreSQL yet; nothing was written.");
            }

            var entries = record.Replies.Select(r => outbox.Create(record.Message.Conversation, r)).ToList();
            return turn.CommitAsync(processed, storage, record.Writes, outbox, entries, record.Now, cancellationToken);
        }

        public ValueTask DisposeAsync() => turn.DisposeAsync();
    }
}
