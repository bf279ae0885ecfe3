using CommunityBot.Storage;
using LiteDB;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CommunityBot.Health;

/// <summary>
/// Ready when the store reads and commits a write (through the group-commit writer, as turns do) within
/// <see cref="HealthOptions.StoreTimeout"/>. One probe runs at a time and its verdict is reused for
/// <see cref="HealthOptions.StoreProbeInterval"/>.
/// </summary>
public sealed class StoreHealthCheck : IHealthCheck, IHostedService
{
    private const string ProbeId = "probe";

    private readonly ILiteCollection<BsonDocument> _probes;
    private readonly LiteDbWriter _writer;
    private readonly TimeProvider _time;
    private readonly HealthOptions _options;
    private readonly Lock _lock = new();
    private Task<HealthCheckResult>? _probe;
    private DateTimeOffset _probedAt;

    public StoreHealthCheck(ILiteDatabase database, LiteDbWriter writer, TimeProvider time, IOptions<HealthOptions> options)
    {
        _writer = writer;
        _time = time;
        _options = options.Value;
        _probes = LiteDbCollections.Open(database, "health"); // at start, with the other stores (see LiteDbCollections)
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            if (_probe is null || (_probe.IsCompleted && now - _probedAt >= _options.StoreProbeInterval))
            {
                _probedAt = now;
                _probe = ProbeAsync(now);
            }

            return _probe.WaitAsync(cancellationToken);
        }
    }

    private async Task<HealthCheckResult> ProbeAsync(DateTimeOffset now)
    {
        try
        {
            var write = _writer.WriteAsync(_ =>
            {
                _probes.FindById(ProbeId);
                _probes.Upsert(new BsonDocument { ["_id"] = ProbeId, ["at"] = now.UtcDateTime });
            });
            var finished = await Task.WhenAny(write, Task.Delay(_options.StoreTimeout, _time));
            if (finished != write)
            {
                return HealthCheckResult.Unhealthy($"a store write took longer than {_options.StoreTimeout.TotalSeconds:0.#} s");
            }

            await write;
            return HealthCheckResult.Healthy("reads and writes");
        }
        catch (Exception ex)
        {
            // The type only: a LiteDB message can name the file's path.
            return HealthCheckResult.Unhealthy($"a store write failed ({ex.GetType().Name})");
        }
    }

    Task IHostedService.StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task IHostedService.StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
