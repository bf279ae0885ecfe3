using CommunityBot.Health;
using CommunityBot.Notifications;
using CommunityBot.Storage;
using CommunityBot.Tests.Harness;
using CommunityBot.Understanding.Nlu;
using LiteDB;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CommunityBot.Tests.Health;

public sealed class HealthCheckTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Channels_FailuresInARow_DegradedThenUnhealthyThenHealthyOnDelivery()
    {
        var monitor = new DeliveryMonitor(_time);
        var check = new ChannelHealthCheck(monitor, MsOptions.Create(new HealthOptions { ChannelFailures = 3 }));

        var none = await CheckAsync(check);
        monitor.Record("wecom", DeliveryOutcome.Delivered);
        monitor.Record("msteams", DeliveryOutcome.Failed, "timeout");
        monitor.Record("msteams", DeliveryOutcome.RateLimited);
        var one = await CheckAsync(check);
        monitor.Record("msteams", DeliveryOutcome.Undeliverable, "rejected");
        monitor.Record("msteams", DeliveryOutcome.Failed, "HttpRequestException");
        var three = await CheckAsync(check);
        monitor.Record("msteams", DeliveryOutcome.Delivered);
        var recovered = await CheckAsync(check);

        Assert.Equal(HealthStatus.Healthy, none.Status);
        Assert.Equal(HealthStatus.Degraded, one.Status);
        Assert.Equal(HealthStatus.Unhealthy, three.Status);
        Assert.Contains("msteams: the last 3 sends failed (HttpRequestException)", three.Description, StringComparison.Ordinal);
        Assert.Contains("wecom: last send delivered", three.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, recovered.Status);
    }

    [Fact]
    public async Task Models_LoadingLoadedFailedOrOff()
    {
        var enabled = MsOptions.Create(new NluOptions { Enabled = true });
        var loading = new MessageClassifier(enabled.Value);
        var failed = new MessageClassifier(enabled.Value);
        failed.MarkLoadFailed();

        Assert.Equal(HealthStatus.Unhealthy, (await CheckAsync(new NluHealthCheck(loading, enabled))).Status);
        Assert.Equal(HealthStatus.Degraded, (await CheckAsync(new NluHealthCheck(failed, enabled))).Status);
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(new NluHealthCheck(loading, MsOptions.Create(new NluOptions { Enabled = false })))).Status);
    }

    [Fact]
    public async Task Store_WriterStopped_UnhealthyWithoutTheMessage()
    {
        using var database = new LiteDatabase(new MemoryStream());
        var writer = new LiteDbWriter(database, new CollectingLogger<LiteDbWriter>());
        var check = new StoreHealthCheck(database, writer, _time, MsOptions.Create(new HealthOptions()));

        var healthy = await CheckAsync(check);
        writer.Dispose();
        var cached = await CheckAsync(check);
        _time.Advance(new HealthOptions().StoreProbeInterval);
        var stopped = await CheckAsync(check);

        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.Equal(HealthStatus.Healthy, cached.Status); // within the probe interval: the last write's verdict
        Assert.Equal(HealthStatus.Unhealthy, stopped.Status);
        Assert.Equal("a store write failed (ObjectDisposedException)", stopped.Description);
        Assert.NotNull(database.GetCollection("health").FindById("probe"));
    }

    private static Task<HealthCheckResult> CheckAsync(IHealthCheck check) => check.CheckHealthAsync(new HealthCheckContext());
}
