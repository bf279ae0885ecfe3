using CommunityBot.Notifications;
using Microsoft.Extensions.Options;

namespace CommunityBot.Conversation;

/// <summary>
/// Runs the proactive turns in the background: at start (what a stopped process left), whenever a request is committed,
/// and when a back-off ends, at least every <see cref="OutboxOptions.PollInterval"/>.
/// </summary>
public sealed partial class ProactiveTurnService(
    ProactiveTurnStore turns, ProactiveTurnRunner runner, IOptions<OutboxOptions> options, ILogger<ProactiveTurnService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = options.Value.PollInterval;
            try
            {
                if (await runner.RunDueAsync(stoppingToken) is { } next && next < wait)
                {
                    wait = next;
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogRoundFailed(ex);
            }

            try
            {
                await turns.WaitForWorkAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Running proactive turns failed; retrying on the next round")]
    private partial void LogRoundFailed(Exception exception);
}
