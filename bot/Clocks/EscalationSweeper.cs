using CommunityBot.Tickets;
using Microsoft.Extensions.Options;

namespace CommunityBot.Clocks;

/// <summary>Runs <see cref="TicketDesk.SweepEscalationsAsync"/> every <see cref="ClockOptions.SweepInterval"/> on the injected clock.</summary>
public sealed partial class EscalationSweeper(TicketDesk desk, TimeProvider time, IOptions<ClockOptions> options, ILogger<EscalationSweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.SweepInterval, time, stoppingToken);
                var fired = await desk.SweepEscalationsAsync(time.GetUtcNow(), stoppingToken);
                if (fired > 0)
                {
                    LogSwept(fired);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // One bad timer must not stop the ladder: log and try again next round.
                LogSweepFailed(e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Escalation sweep: {Count} tickets reminded or escalated")]
    private partial void LogSwept(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Escalation sweep failed; retrying next round")]
    private partial void LogSweepFailed(Exception exception);
}
