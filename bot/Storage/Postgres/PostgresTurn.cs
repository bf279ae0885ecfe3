using CommunityBot.Conversation;
using CommunityBot.Notifications;
using Npgsql;

namespace CommunityBot.Storage.Postgres;

/// <summary>
/// One resident's turn as one PostgreSQL transaction, on whichever instance it runs (issue 14): <see cref="BeginAsync"/>
/// opens the transaction and takes the resident's lock (<see cref="PostgresStorage.LockResidentAsync"/>) before anything of
/// the turn is read, so a resident's turns on two instances run one after the other and the second reads what the first
/// committed; it then says whether the message was already processed (a channel's redelivery, to this instance or another).
/// <see cref="CommitAsync"/> writes the message id, the turn's held state writes (ETag-checked) and its replies (outbox
/// entries) in that transaction and commits: all of it or none. Disposing without committing rolls everything back, so the
/// channel's redelivery runs the turn again.
/// </summary>
public sealed class PostgresTurn : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly string _messageKey;
    private bool _ended;

    private PostgresTurn(NpgsqlConnection connection, NpgsqlTransaction transaction, string messageKey, bool processed)
    {
        _connection = connection;
        _transaction = transaction;
        _messageKey = messageKey;
        AlreadyProcessed = processed;
    }

    /// <summary>The message's turn was committed before (here or on another instance): answer nothing, write nothing.</summary>
    public bool AlreadyProcessed { get; }

    /// <summary>
    /// Opens the turn's transaction and waits for the lock of the resident <paramref name="stateKey"/> (another instance's
    /// turn of theirs holds it until it ends), then looks up <paramref name="messageKey"/>
    /// (<see cref="ProcessedMessageLog.KeyOf"/>) among the processed messages.
    /// </summary>
    public static async Task<PostgresTurn> BeginAsync(
        NpgsqlDataSource dataSource, string stateKey, string messageKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(stateKey);
        ArgumentNullException.ThrowIfNull(messageKey);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await PostgresStorage.LockResidentAsync(transaction, stateKey, cancellationToken).ConfigureAwait(false);
            // After the lock: a redelivery's earlier turn (same resident, so same lock) has committed or rolled back by now.
            await using var look = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM processed_messages WHERE key = @key)", connection, transaction);
            look.Parameters.AddWithValue("key", messageKey);
            var processed = (bool)(await look.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            return new PostgresTurn(connection, transaction, messageKey, processed);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Writes the message id, <paramref name="writes"/> and <paramref name="replies"/> in the turn's transaction and commits.
    /// False, keeping nothing, when the message id was recorded meanwhile: a defence only, since a redelivery is the same
    /// resident's and so waited for the lock (it takes the same message id under another resident key). Throws <see cref="Microsoft.Bot.Builder.StorageConflictException"/>,
    /// keeping nothing, when a state item changed since the turn read it. <paramref name="alsoWrite"/>, when given, writes
    /// what else belongs to the turn (the group registry's rows) in the transaction, last before the commit.
    /// </summary>
    public async Task<bool> CommitAsync(
        PostgresProcessedMessageLog processed,
        PostgresStorage storage,
        StorageTurn writes,
        PostgresOutbox outbox,
        IReadOnlyList<OutboxMessage> replies,
        DateTimeOffset now,
        CancellationToken cancellationToken,
        Func<NpgsqlTransaction, CancellationToken, Task>? alsoWrite = null)
    {
        ArgumentNullException.ThrowIfNull(processed);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(writes);
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(replies);
        ObjectDisposedException.ThrowIf(_ended, this);
        _ended = true; // one way or the other, this transaction ends here
        try
        {
            if (!await processed.AddAsync(_transaction, _messageKey, now, cancellationToken).ConfigureAwait(false))
            {
                await _transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                return false;
            }

            await storage.CommitTurnAsync(writes, _transaction, cancellationToken).ConfigureAwait(false);
            await outbox.InsertAsync(replies, _transaction, cancellationToken).ConfigureAwait(false);
            if (alsoWrite is not null)
            {
                await alsoWrite(_transaction, cancellationToken).ConfigureAwait(false);
            }

            await _transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch
        {
            await TryRollbackAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Ends the turn: rolled back unless committed, the lock released, the connection back in the pool.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_ended)
        {
            _ended = true;
            await TryRollbackAsync().ConfigureAwait(false);
        }

        await _transaction.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    private async Task TryRollbackAsync()
    {
        try
        {
            if (_transaction.Connection is not null)
            {
                await _transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (NpgsqlException)
        {
            // The connection is gone: PostgreSQL has rolled the transaction back itself.
        }
    }
}
