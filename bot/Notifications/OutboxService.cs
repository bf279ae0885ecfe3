using Microsoft.Extensions.Options;

namespace CommunityBot.Notifications;

/// <summary>Runs the dispatcher in the background: at once when woken, and on every poll interval for retries.</summary>
public sealed partial class OutboxService(
    Outbox outbox, OutboxDispatcher dispatcher, IOptions<OutboxOptions> options, ILogger<OutboxService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await dispatcher.DispatchDueAsync(stoppingToken);
                await outbox.WaitForWorkAsync(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogTickFailed(ex);
                await outbox.WaitForWorkAsync(options.Value.PollInterval, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox dispatch failed; retrying on the next tick")]
    private partial void LogTickFailed(Exception exception);
}
