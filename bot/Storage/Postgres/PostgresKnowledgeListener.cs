using Npgsql;

namespace CommunityBot.Storage.Postgres;

/// <summary>
/// Keeps one instance's in-memory knowledge in step with the database: a connection of its own LISTENs on
/// <c>knowledge</c>, and each notification (sent by a store's write when its transaction commits, on any instance, this one
/// included) marks its topic changed in <see cref="KnowledgeChanges"/>. Notifications sent while not listening are lost, so
/// whenever listening (re)starts every topic is marked changed: nothing loaded before can be kept.
/// </summary>
public sealed partial class PostgresKnowledgeListener(
    NpgsqlDataSource dataSource, KnowledgeChanges changes, TimeProvider time, ILogger<PostgresKnowledgeListener> logger)
{
    /// <summary>How long to wait before listening again after the connection was lost or could not be opened.</summary>
    public static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(2);

    // A connection that dies without a word (a cut network) is found by a round trip when it has been quiet this long.
    private static readonly TimeSpan QuietCheck = TimeSpan.FromSeconds(30);

    /// <summary>Raised each time LISTEN is in place, after every topic has been marked changed.</summary>
    public event Action? Listening;

    /// <summary>Raised when the connection is lost (or could not be opened), once the wait to listen again has begun.</summary>
    public event Action? Lost;

    /// <summary>Listens until <paramref name="cancellationToken"/> is cancelled, listening again after each loss.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogLost(ex);
            }

            // Created before Lost is raised, so whoever waits for Lost and then moves the clock moves it past this wait.
            var wait = Task.Delay(ReconnectDelay, time, cancellationToken);
            Lost?.Invoke();
            try
            {
                await wait.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        connection.Notification += OnNotification;
        await using (var listen = new NpgsqlCommand($"LISTEN {PostgresKnowledge.NotifyChannel}", connection))
        {
            await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // From here on every commit is notified; what was committed before (while this was not listening, or before it
        // started) may not be in the copies held, so they all go.
        changes.InvalidateAll();
        LogListening();
        Listening?.Invoke();
        while (true)
        {
            if (!await connection.WaitAsync(QuietCheck, cancellationToken).ConfigureAwait(false))
            {
                await using var ping = new NpgsqlCommand("SELECT 1", connection);
                await ping.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (PostgresKnowledge.TopicOf(e.Payload) is { } topic)
        {
            changes.Invalidate(topic, e.Payload);
        }
        else
        {
            // A topic this build does not know (a newer instance's): drop everything rather than miss a change.
            changes.InvalidateAll();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for knowledge changes; every in-memory copy dropped")]
    private partial void LogListening();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Knowledge listener lost its connection; listening again shortly")]
    private partial void LogLost(Exception exception);
}
