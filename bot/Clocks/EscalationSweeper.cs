using CommunityBot.Hosting;
using CommunityBot.Tickets;
using Microsoft.Extensions.Options;

namespace CommunityBot.Clocks;

/// <summary>Runs <see cref="TicketDesk.SweepEscalationsAsync"/> every <see cref="ClockOptions.SweepInterval"/> on the injected clock.</summary>
public sealed partial class EscalationSweeper(TicketDesk desk, TimeProvider time, IOptions<ClockOptions> options, ILogger<EscalationSweeper> logger)
    : PeriodicService(time, logger)
{
    protected override TimeSpan Interval => options.Value.SweepInterval;

    protected override async Task RunOnceAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var fired = await desk.SweepEscalationsAsync(now, cancellationToken);
        if (fired > 0)
        {
            LogSwept(fired);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Escalation sweep: {Count} tickets reminded or escalated")]
    private partial void LogSwept(int count);
}
