using System.Security.Cryptography;
using System.Text;
using CommunityBot.Channels;
using CommunityBot.Dialogs.Understanding;
using CommunityBot.Notifications;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace CommunityBot.Metrics;

/// <summary>Registers the assistant's meter, and with <c>Metrics:Enabled</c> the OpenTelemetry pipeline and its Prometheus endpoint.</summary>
public static class MetricsExtensions
{
    /// <summary>Needs <c>AddStorage()</c> and the outbox (<c>AddDialogs()</c>) for the outbox gauges.</summary>
    public static IHostApplicationBuilder AddMetrics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MetricsOptions>()
            .BindConfiguration(MetricsOptions.SectionName)
            .Validate(o => o.Path.StartsWith('/'), "Metrics:Path must start with '/'.")
            .Validate(o => o.ScrapeToken is null || o.ScrapeToken.Length >= 32, "Metrics:ScrapeToken must be at least 32 characters.")
            .ValidateOnStart();
        builder.Services.AddSingleton(sp =>
        {
            var metrics = new BotMetrics(sp.GetRequiredService<TimeProvider>(), sp.GetService<System.Diagnostics.Metrics.IMeterFactory>());
            var outbox = new Lazy<Outbox>(sp.GetRequiredService<Outbox>);
            metrics.ObserveOutbox(() => outbox.Value.Backlog());
            return metrics;
        });
        builder.Services.AddSingleton<IFaqOutcomes>(sp => sp.GetRequiredService<BotMetrics>());
        builder.Services.AddSingleton<DeliveryMonitor>();

        if (builder.Configuration.GetValue<bool>($"{MetricsOptions.SectionName}:{nameof(MetricsOptions.Enabled)}"))
        {
            builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
                .AddMeter(BotMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddPrometheusExporter());
        }

        return builder;
    }

    /// <summary>The scrape endpoint, when enabled: this machine only, or anyone with the scrape token.</summary>
    public static WebApplication MapMetrics(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        if (!options.Enabled)
        {
            return app;
        }

        // Off the path, or not allowed: the request goes on down the pipeline and finds no endpoint (404), so the endpoint
        // is not even admitted to a stranger.
        app.UseOpenTelemetryPrometheusScrapingEndpoint(
            meterProvider: null,
            predicate: http => http.Request.Path == options.Path && MayScrape(http, options.ScrapeToken),
            path: null,
            configureBranchedPipeline: null,
            optionsName: null);
        return app;
    }

    private static bool MayScrape(HttpContext http, string? token)
    {
        if (token is not null && http.Request.Headers.Authorization.ToString() is { Length: > 7 } header
            && header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[7..]), Encoding.UTF8.GetBytes(token));
        }

        return HostExposure.IsLocalRequest(http);
    }
}
