namespace CommunityBot.Hosting;

/// <summary>
/// A background service that runs <see cref="RunOnceAsync"/> every <see cref="Interval"/> on the injected clock (so tests
/// move fake time). A failed round is logged and the next round runs as usual: one bad record must not stop the sweeps.
/// </summary>
public abstract partial class PeriodicService(TimeProvider time, ILogger logger) : BackgroundService
{
    protected TimeProvider Time => time;

    /// <summary>Read every round, so a changed setting takes effect at the next one.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>Whether to run a round at start, before the first wait.</summary>
    protected virtual bool RunAtStart => false;

    protected abstract Task RunOnceAsync(DateTimeOffset now, CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var first = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!first || !RunAtStart)
                {
                    await Task.Delay(Interval, time, stoppingToken);
                }

                first = false;
                await RunOnceAsync(time.GetUtcNow(), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogRoundFailed(logger, GetType().Name, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Service} failed this round; retrying at the next")]
    private static partial void LogRoundFailed(ILogger logger, string service, Exception exception);
}
