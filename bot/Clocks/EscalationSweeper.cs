using CommunityBot.Hosting;
using CommunityBot.Tickets;
using Microsoft.Extensions.Options;

namespace CommunityBot.Clocks;

/// <summary>Runs <see cref="TicketDesk.SweepEscalationsAsync"/> every <see cref="ClockOptions.SweepInterval"/> on the injected clock.</summary>
public sealed partial class EscalationSweeper(TicketDesk desk, TimeProvider time, IOptions<ClockOptions> options, ILogger<EscalationSweeper> logger)
    : PeriodicService(time, logger)
{
    protected override TimeSpan Interval => options.Value.SweepInterval;

    private bool _backfilled;

    protected override async Task RunOnceAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!_backfilled)
        {
            // Tickets filed before the clocks were kept have no timers: give them theirs, so they are chased too.
            var filled = await desk.BackfillTimersAsync(cancellationToken);
            _backfilled = true;
            if (filled > 0)
            {
                LogBackfilled(filled);
            }
        }

        var fired = await desk.SweepEscalationsAsync(now, cancellationToken);
        if (fired > 0)
        {
            LogSwept(fired);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Escalation clocks armed for {Count} open tickets older than the clocks")]
    private partial void LogBackfilled(int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Escalation sweep: {Count} tickets reminded or escalated")]
    private partial void LogSwept(int count);
}
