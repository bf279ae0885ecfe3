using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CommunityBot.Health;

/// <summary>
/// ASP.NET Core health checks: <c>/healthz/live</c> (the process answers), <c>/healthz/ready</c> (store, outbox, channels,
/// models) and <c>/healthz</c> (live, plain text, as before). The JSON carries a reason per check for staff and nothing
/// about residents, addresses, paths or exception text, so it is safe on a public address.
/// </summary>
public static class HealthExtensions
{
    public const string LiveTag = "live";
    public const string ReadyTag = "ready";

    /// <summary>Needs <c>AddStorage()</c>, <c>AddUnderstanding()</c>, the outbox (<c>AddDialogs()</c>) and <c>AddMetrics()</c>.</summary>
    public static IHostApplicationBuilder AddHealth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<HealthOptions>()
            .BindConfiguration(HealthOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<StoreHealthCheck>();
        // Constructed at start, so its collection is created before turns run (see Storage.LiteDbCollections).
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StoreHealthCheck>());
        builder.Services.AddHealthChecks()
            .AddCheck("process", () => HealthCheckResult.Healthy("running"), [LiveTag])
            .AddCheck<StoreHealthCheck>("store", tags: [ReadyTag])
            .AddCheck<OutboxHealthCheck>("outbox", tags: [ReadyTag])
            .AddCheck<ChannelHealthCheck>("channels", tags: [ReadyTag])
            .AddCheck<NluHealthCheck>("models", tags: [ReadyTag]);
        return builder;
    }

    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(LiveTag) });
        app.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = c => c.Tags.Contains(LiveTag), ResponseWriter = WriteJsonAsync });
        // Degraded is still ready (200): the assistant answers, staff read the reason.
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteJsonAsync });
        return app;
    }

    /// <summary><c>{"status":"Healthy","checks":{"store":{"status":"Healthy","reason":"…","ms":1.2},…}}</c></summary>
    public static Task WriteJsonAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        var checks = report.Entries.ToDictionary(
            e => e.Key,
            e => new
            {
                status = e.Value.Status.ToString(),
                // A check that threw: its type only, never its message.
                reason = e.Value.Exception is { } ex ? $"the check failed ({ex.GetType().Name})" : e.Value.Description,
                ms = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
            });
        return JsonSerializer.SerializeAsync(http.Response.Body, new { status = report.Status.ToString(), checks }, cancellationToken: http.RequestAborted);
    }
}
