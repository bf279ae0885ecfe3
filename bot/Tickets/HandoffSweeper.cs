using CommunityBot.Hosting;
using Microsoft.Extensions.Options;

namespace CommunityBot.Tickets;

/// <summary>Runs <see cref="TicketDesk.SweepHandoffsAsync"/> every <see cref="TicketOptions.HandoffSweepInterval"/> on the injected clock.</summary>
public sealed class HandoffSweeper(TicketDesk desk, TimeProvider time, IOptions<TicketOptions> options, ILogger<HandoffSweeper> logger)
    : PeriodicService(time, logger)
{
    protected override TimeSpan Interval => options.Value.HandoffSweepInterval;

    protected override Task RunOnceAsync(DateTimeOffset now, CancellationToken cancellationToken) => desk.SweepHandoffsAsync(now, cancellationToken);
}
