using Npgsql;

namespace CommunityBot.Storage.Postgres;

/// <summary>
/// Wakes an instance's dispatcher when any instance commits outbox entries: one connection of its own that LISTENs on
/// <see cref="PostgresOutbox.NotifyChannel"/>. A wake-up only says "claim now"; the claims still decide who delivers, and the
/// dispatcher still polls, since a notification sent while this was not listening is lost.
/// </summary>
public sealed class PostgresOutboxListener(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    private NpgsqlConnection? _connection;

    /// <summary>
    /// Waits up to <paramref name="timeout"/> (real time) for a notification. True when one came, and also when listening
    /// (re)starts (a connection was missing or lost, so something may have been missed); false when the time passed quietly.
    /// Not for concurrent use.
    /// </summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_connection is null)
        {
            var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await using var listen = new NpgsqlCommand($"LISTEN {PostgresOutbox.NotifyChannel}", connection);
                await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            _connection = connection;
            return true;
        }

        try
        {
            return await _connection.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when ((ex is NpgsqlException or TimeoutException) && !cancellationToken.IsCancellationRequested)
        {
            // The connection is gone (a restart, a network cut): listen again on the next call, and claim now.
            await DisposeAsync().ConfigureAwait(false);
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
