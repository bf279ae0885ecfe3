using CommunityBot.Conversation;
using Npgsql;

namespace CommunityBot.Storage.Postgres;

/// <summary>
/// <see cref="ITurnStore"/> on PostgreSQL, for several instances sharing one database: each turn is a
/// <see cref="PostgresTurn"/>, one transaction that takes the resident's lock before anything of the turn is read and commits
/// the message id, the state writes (ETag-checked), the replies (as outbox entries, which notify the dispatchers) and the
/// group's and sender's registration (<see cref="PostgresGroupRegistry"/>, as LiteDB's turn does), and last the turn's
/// <see cref="TurnRecord.AlsoCommit"/> (a proactive turn's request deleted under its lease: <see cref="PostgresProactiveTurnQueue"/>).
/// </summary>
public sealed class PostgresTurnStore(
    NpgsqlDataSource dataSource, PostgresProcessedMessageLog processed, PostgresStorage storage, PostgresOutbox outbox, PostgresGroupRegistry groups)
    : ITurnStore
{
    public async Task<ITurnTransaction> BeginAsync(string stateKey, string messageKey, CancellationToken cancellationToken) =>
        new Transaction(this, await PostgresTurn.BeginAsync(dataSource, stateKey, messageKey, cancellationToken).ConfigureAwait(false));

    private async Task<bool> CommitAsync(PostgresTurn turn, TurnRecord record, CancellationToken cancellationToken)
    {
        var inbound = record.Message;
        var entries = record.Replies.Select(r => outbox.Create(inbound.Conversation, r)).ToList();
        var recordGroup = groups.ShouldRecord(inbound, record.Now);
        try
        {
            return await turn.CommitAsync(processed, storage, record.Writes, outbox, entries, record.Now, cancellationToken,
                async (transaction, ct) =>
                {
                    if (recordGroup)
                    {
                        await groups.RecordAsync(inbound.Conversation, record.Now, transaction, ct).ConfigureAwait(false);
                    }

                    // Their private chat takes this group's compound as its default place.
                    await groups.RecordResidentAsync(inbound, record.Now, transaction, ct).ConfigureAwait(false);
                    if (record.AlsoCommit is { } alsoCommit)
                    {
                        await alsoCommit.InPostgresAsync(transaction, ct).ConfigureAwait(false);
                    }
                }).ConfigureAwait(false);
        }
        catch when (recordGroup)
        {
            groups.NotRecorded(inbound.Conversation); // the next turn in the group writes it
            throw;
        }
    }

    private sealed class Transaction(PostgresTurnStore store, PostgresTurn turn) : ITurnTransaction
    {
        public bool AlreadyProcessed => turn.AlreadyProcessed;

        public Task<bool> CommitAsync(TurnRecord record, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(record);
            return store.CommitAsync(turn, record, cancellationToken);
        }

        public ValueTask DisposeAsync() => turn.DisposeAsync();
    }
}
