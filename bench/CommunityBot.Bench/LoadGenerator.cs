using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace CommunityBot.Bench;

/// <summary>
/// Drives Bot Framework message activities (or a bare GET) at the bot over loopback, either open-loop at a
/// fixed rate (latency at a given load) or closed-loop with N workers (sustained throughput).
/// </summary>
public sealed class LoadGenerator(HttpClient client, Uri botUrl, string serviceUrl, bool bare)
{
    private static readonly string[] Questions =
    [
        "物业电话多少", "垃圾分类怎么分", "长者食堂几点开饭", "水费怎么交", "身份证丢了怎么补办", "停车位怎么申请",
        "暖气不热找谁", "居住证怎么办", "疫苗在哪打", "志愿者怎么注册",
    ];

    private long _counter;
    private int _reported;

    public async Task<LoadResult> RunOpenLoopAsync(int ratePerSecond, TimeSpan duration)
    {
        var latencies = new List<double>();
        var errors = 0;
        var tasks = new List<Task>();
        var interval = TimeSpan.FromSeconds(1.0 / ratePerSecond);
        var started = Stopwatch.StartNew();
        var next = TimeSpan.Zero;
        while (started.Elapsed < duration)
        {
            var wait = next - started.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            tasks.Add(Task.Run(async () =>
            {
                var (ok, ms) = await SendOneAsync();
                lock (latencies)
                {
                    if (ok)
                    {
                        latencies.Add(ms);
                    }
                    else
                    {
                        errors++;
                    }
                }
            }));
            next += interval;
        }

        await Task.WhenAll(tasks);
        return new LoadResult(latencies, errors, started.Elapsed);
    }

    public async Task<LoadResult> RunClosedLoopAsync(int workers, TimeSpan duration)
    {
        var latencies = new List<double>();
        var errors = 0;
        var started = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            var mine = new List<double>();
            var myErrors = 0;
            while (started.Elapsed < duration)
            {
                var (ok, ms) = await SendOneAsync();
                if (ok)
                {
                    mine.Add(ms);
                }
                else
                {
                    myErrors++;
                }
            }

            lock (latencies)
            {
                latencies.AddRange(mine);
                errors += myErrors;
            }
        })));
        return new LoadResult(latencies, errors, started.Elapsed);
    }

    private async Task<(bool Ok, double Ms)> SendOneAsync()
    {
        var n = Interlocked.Increment(ref _counter);
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = bare
                ? await client.GetAsync(new Uri(botUrl, "/healthz"))
                : await client.PostAsJsonAsync(new Uri(botUrl, "/api/messages"), Activity(n));
            if (!response.IsSuccessStatusCode && Interlocked.Exchange(ref _reported, 1) == 0)
            {
                Console.Error.WriteLine($"first failure: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            return (response.IsSuccessStatusCode, watch.Elapsed.TotalMilliseconds);
        }
        catch (HttpRequestException ex)
        {
            if (Interlocked.Exchange(ref _reported, 1) == 0)
            {
                Console.Error.WriteLine($"first failure: {ex.Message} {ex.InnerException?.Message}");
            }

            return (false, watch.Elapsed.TotalMilliseconds);
        }
    }

    private JsonObject Activity(long n)
    {
        // 500 residents in 20 groups, so state and locks are spread the way a street office's groups are.
        var group = n % 20;
        var user = n % 500;
        var question = Questions[n % Questions.Length];
        return new JsonObject
        {
            ["type"] = "message",
            ["id"] = $"bench-{Environment.ProcessId}-{n}",
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
            ["serviceUrl"] = serviceUrl,
            ["channelId"] = "msteams",
            ["from"] = new JsonObject { ["id"] = $"29:user-{user}", ["name"] = $"居民{user}" },
            ["conversation"] = new JsonObject { ["id"] = $"19:group-{group}@thread.tacv2", ["isGroup"] = true, ["conversationType"] = "groupChat" },
            ["recipient"] = new JsonObject { ["id"] = "28:bench-bot", ["name"] = "小灵通" },
            ["text"] = $"<at>小灵通</at> {question}",
            ["entities"] = new JsonArray(new JsonObject
            {
                ["type"] = "mention",
                ["mentioned"] = new JsonObject { ["id"] = "28:bench-bot", ["name"] = "小灵通" },
                ["text"] = "<at>小灵通</at>",
            }),
        };
    }
}

/// <summary>Latencies (ms) of successful requests, errors, and the wall time of one run.</summary>
public sealed record LoadResult(List<double> Latencies, int Errors, TimeSpan Elapsed)
{
    public double Percentile(double p)
    {
        if (Latencies.Count == 0)
        {
            return double.NaN;
        }

        var sorted = Latencies.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)];
    }

    public double Rate => Latencies.Count / Elapsed.TotalSeconds;

    public override string ToString() =>
        $"{Latencies.Count} ok, {Errors} errors in {Elapsed.TotalSeconds:F1} s = {Rate:F0}/s; p50 {Percentile(50):F2} ms, p99 {Percentile(99):F2} ms, max {Percentile(100):F2} ms";
}
