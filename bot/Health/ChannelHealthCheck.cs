using CommunityBot.Notifications;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CommunityBot.Health;

/// <summary>
/// Ready unless a channel's last <see cref="HealthOptions.ChannelFailures"/> sends all failed; degraded when its last send
/// failed. A channel nothing was sent to since start is not judged (a channel without settings never gets a message).
/// </summary>
public sealed class ChannelHealthCheck(DeliveryMonitor monitor, IOptions<HealthOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var channels = monitor.Channels();
        if (channels.Count == 0)
        {
            return Task.FromResult(HealthCheckResult.Healthy("nothing sent since start"));
        }

        var limit = options.Value.ChannelFailures;
        var status = HealthStatus.Healthy;
        var reasons = new List<string>();
        foreach (var channel in channels)
        {
            if (channel.ConsecutiveFailures == 0)
            {
                reasons.Add($"{channel.Channel}: last send delivered");
                continue;
            }

            var channelStatus = channel.ConsecutiveFailures >= limit ? HealthStatus.Unhealthy : HealthStatus.Degraded;
            status = channelStatus < status ? channelStatus : status;
            reasons.Add($"{channel.Channel}: the last {channel.ConsecutiveFailures} sends failed ({channel.LastFailure})");
        }

        return Task.FromResult(new HealthCheckResult(status, string.Join("; ", reasons)));
    }
}
