using Microsoft.Extensions.Options;

namespace CommunityBot.Notifications;

/// <summary>
/// Runs the dispatcher in the background: starts what is due at once when woken (a commit, a finished send), and sleeps
/// until the next retry or paced bulk send falls due, at most <see cref="OutboxOptions.PollInterval"/>.
/// </summary>
public sealed partial class OutboxService(
    Outbox outbox, OutboxDispatcher dispatcher, IOptions<OutboxOptions> options, ILogger<OutboxService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = options.Value.PollInterval;
            try
            {
                if (dispatcher.Start(stoppingToken) is { } next && next < wait)
                {
                    wait = next;
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogTickFailed(ex);
            }

            try
            {
                await outbox.WaitForWorkAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }

        await dispatcher.StopAsync();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox dispatch failed; retrying on the next tick")]
    private partial void LogTickFailed(Exception exception);
}
