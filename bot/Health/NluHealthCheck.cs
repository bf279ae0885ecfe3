using CommunityBot.Understanding.Nlu;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CommunityBot.Health;

/// <summary>
/// Ready once the intent and category models are loaded (they load or train in the background at start); degraded when
/// they could not be, since the assistant then answers from rules and gives no categories.
/// </summary>
public sealed class NluHealthCheck(MessageClassifier classifier, IOptions<NluOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            !options.Value.Enabled ? HealthCheckResult.Healthy("models turned off (Nlu:Enabled=false): intents from rules")
            : classifier.IsReady ? HealthCheckResult.Healthy("intent and category models loaded")
            : classifier.LoadFailed ? HealthCheckResult.Degraded("the models could not be loaded or trained: intents from rules, no categories (see the log)")
            : HealthCheckResult.Unhealthy("the models are still loading"));
}
