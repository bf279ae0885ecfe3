using Microsoft.Extensions.Options;

namespace CommunityBot.Tickets;

/// <summary>Runs <see cref="TicketDesk.SweepHandoffsAsync"/> every <see cref="TicketOptions.HandoffSweepInterval"/> on the injected clock.</summary>
public sealed partial class HandoffSweeper(TicketDesk desk, TimeProvider time, IOptions<TicketOptions> options, ILogger<HandoffSweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.HandoffSweepInterval, time, stoppingToken);
                await desk.SweepHandoffsAsync(time.GetUtcNow(), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // One bad record must not stop the sweeps: log and try again next round.
                LogSweepFailed(e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Take-over sweep failed; retrying next round")]
    private partial void LogSweepFailed(Exception exception);
}
