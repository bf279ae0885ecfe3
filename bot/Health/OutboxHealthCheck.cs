using CommunityBot.Notifications;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CommunityBot.Health;

/// <summary>Ready while the oldest undelivered reply is younger than <see cref="HealthOptions.OutboxReplyAge"/>.</summary>
public sealed class OutboxHealthCheck(Outbox outbox, IOptions<HealthOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var backlog = outbox.Backlog();
        var limit = options.Value.OutboxReplyAge;
        var waiting = $"{backlog.PendingReplies} replies and {backlog.Pending - backlog.PendingReplies} bulk messages waiting";
        return Task.FromResult(backlog.OldestReplyAge is { } age && age > limit
            ? HealthCheckResult.Unhealthy($"{waiting}; the oldest reply has waited {Seconds(age)} (limit {Seconds(limit)})")
            : HealthCheckResult.Healthy(backlog.OldestReplyAge is { } young ? $"{waiting}; the oldest reply has waited {Seconds(young)}" : waiting));
    }

    private static string Seconds(TimeSpan span) => $"{span.TotalSeconds:0} s";
}
