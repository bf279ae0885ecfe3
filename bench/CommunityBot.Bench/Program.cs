using System.Diagnostics;
using System.Globalization;
using System.Net;
using CommunityBot.Bench;

// Load benchmark against a running bot (never part of `dotnet test`); see eval/turns-bench.sh.
//   turns  --bot URL [--rate 200] [--seconds 20] [--workers 32] [--connector-port 5099] [--pid PID]
//          [--mode grievance]: residents file tickets through the web chat API (1, then --workers at once)
//   tickets [--count 1000000] [--queries 10000] [--write-seconds 10] [--dir DIR] [--baseline true]
//   sweep  [--tickets 100000] [--batch 1000] [--runs 5]   (escalation sweep over open tickets; no server needed)
//   tickets-pg --connection "Host=…;Database=…" [--count 1000000] [--queries 10000] [--write-seconds 10] [--month 2026-10] [--runs 5]
//   filing --connection "Host=…;Database=…" [--residents 32] [--seconds 10] [--runs 3]: tickets/s through the desk, LiteDB vs PostgreSQL 1 and 2 hosts
//   assessment [--count 1000000] [--dir DIR (reused if it holds a store)] [--month 2026-10] [--runs 5]
//   extraction [--messages FILE.csv] [--seconds 3]: extractor table tests per engine, first-call cost, µs per message
//   backup [--count 100000] [--writers 8] [--dir DIR (reused if it holds a store)] [--out DIR]
// FAQ match latency and accuracy are measured by eval/faq-eval.sh through the `classify` verb.
var verb = args.FirstOrDefault() ?? "";
var options = ParseOptions(args.Skip(1).ToArray());
return verb switch
{
    "turns" => await TurnsAsync(options),
    "tickets" => await TicketsAsync(options),
    "tickets-pg" => await PostgresTicketsBench.RunAsync(options),
    "filing" => await FilingBench.RunAsync(options),
    "sweep" => await SweepBench.RunAsync(options),
    "assessment" => AssessmentBench.Run(options),
    "extraction" => ExtractionEval.Run(options),
    "backup" => await BackupBench.RunAsync(options),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: CommunityBot.Bench turns --bot http://127.0.0.1:5080 [--rate 200] [--seconds 20] [--workers 32] [--pid PID]");
    Console.Error.WriteLine("       CommunityBot.Bench tickets [--count 1000000] [--queries 10000] [--write-seconds 10] [--dir DIR] [--baseline true]");
    Console.Error.WriteLine("       CommunityBot.Bench tickets-pg --connection \"Host=127.0.0.1;Database=bench\" [--count 1000000] [--queries 10000] [--write-seconds 10] [--month 2026-10] [--runs 5]");
    Console.Error.WriteLine("       CommunityBot.Bench filing --connection \"Host=127.0.0.1;Database=bench\" [--residents 32] [--seconds 10] [--runs 3]");
    Console.Error.WriteLine("       CommunityBot.Bench sweep [--tickets 100000] [--batch 1000] [--runs 5]");
    Console.Error.WriteLine("       CommunityBot.Bench assessment [--count 1000000] [--dir DIR] [--month 2026-10] [--runs 5]");
    Console.Error.WriteLine("       CommunityBot.Bench extraction [--messages /work/shared/data/grievance-categories/train.csv] [--seconds 3]");
    Console.Error.WriteLine("       CommunityBot.Bench backup [--count 100000] [--writers 8] [--dir DIR] [--out DIR]");
    return 2;
}

static async Task<int> TurnsAsync(Dictionary<string, string> options)
{
    var bot = new Uri(options.GetValueOrDefault("bot", "http://127.0.0.1:5080"));
    var rate = int.Parse(options.GetValueOrDefault("rate", "200"), CultureInfo.InvariantCulture);
    var seconds = TimeSpan.FromSeconds(double.Parse(options.GetValueOrDefault("seconds", "20"), CultureInfo.InvariantCulture));
    var workers = int.Parse(options.GetValueOrDefault("workers", "32"), CultureInfo.InvariantCulture);
    var port = int.Parse(options.GetValueOrDefault("connector-port", "5099"), CultureInfo.InvariantCulture);

    await using var connector = new FakeConnector(port);
    await connector.StartAsync();
    using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
    {
        Timeout = TimeSpan.FromSeconds(30),
        DefaultRequestVersion = HttpVersion.Version11,
    };
    if (options.GetValueOrDefault("mode") == "grievance")
    {
        var grievances = new GrievanceLoadGenerator(client, bot, options.GetValueOrDefault("bot-name", "小灵通"));
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores; warm-up 5 s");
        await grievances.RunAsync(4, TimeSpan.FromSeconds(5));
        foreach (var concurrent in new[] { 1, workers })
        {
            Console.WriteLine($"grievances, {concurrent} residents at once: {await grievances.RunAsync(concurrent, seconds)}");
        }

        PrintRss(options);
        return 0;
    }

    var turns = new LoadGenerator(client, bot, connector.ServiceUrl, bare: false);
    var bare = new LoadGenerator(client, bot, connector.ServiceUrl, bare: true);

    Console.WriteLine($"machine: {Environment.ProcessorCount} cores; warm-up 5 s");
    await turns.RunClosedLoopAsync(8, TimeSpan.FromSeconds(5));
    await bare.RunClosedLoopAsync(8, TimeSpan.FromSeconds(2));

    var fixedTurns = await turns.RunOpenLoopAsync(rate, seconds);
    Console.WriteLine($"FAQ turns at {rate}/s:   {fixedTurns}");
    var fixedBare = await bare.RunOpenLoopAsync(rate, seconds);
    Console.WriteLine($"bare GET at {rate}/s:    {fixedBare}");
    Console.WriteLine($"p99 ratio turns/bare at {rate}/s: {fixedTurns.Percentile(99) / fixedBare.Percentile(99):F2}");

    var maxTurns = await turns.RunClosedLoopAsync(workers, seconds);
    Console.WriteLine($"FAQ turns, {workers} workers: {maxTurns}");
    var maxBare = await bare.RunClosedLoopAsync(workers, seconds);
    Console.WriteLine($"bare GET, {workers} workers:  {maxBare}");
    Console.WriteLine($"throughput ratio turns/bare: {maxTurns.Rate / maxBare.Rate:F2}");

    await Task.Delay(TimeSpan.FromSeconds(3)); // let the outbox drain
    Console.WriteLine($"replies received by the fake Connector: {connector.Received}");
    PrintRss(options);
    return 0;
}

static void PrintRss(Dictionary<string, string> options)
{
    if (options.TryGetValue("pid", out var pid))
    {
        using var process = Process.GetProcessById(int.Parse(pid, CultureInfo.InvariantCulture));
        Console.WriteLine($"bot RSS after the load: {process.WorkingSet64 / 1024 / 1024} MiB");
    }
}

static async Task<int> TicketsAsync(Dictionary<string, string> options)
{
    var count = int.Parse(options.GetValueOrDefault("count", "1000000"), CultureInfo.InvariantCulture);
    var queries = int.Parse(options.GetValueOrDefault("queries", "10000"), CultureInfo.InvariantCulture);
    var writeTime = TimeSpan.FromSeconds(double.Parse(options.GetValueOrDefault("write-seconds", "10"), CultureInfo.InvariantCulture));
    var baseline = bool.Parse(options.GetValueOrDefault("baseline", "false"));
    var directory = options.GetValueOrDefault("dir") ?? Path.Combine(Path.GetTempPath(), $"tickets-bench-{Environment.ProcessId}");
    if (File.Exists(Path.Combine(directory, "communitybot.db")))
    {
        Console.Error.WriteLine($"{directory} already holds a store; the benchmark fills a new one. Give an empty --dir.");
        return 2;
    }

    return await new TicketsBenchmark(count, queries, writeTime, directory, baseline).RunAsync();
}

static Dictionary<string, string> ParseOptions(string[] args)
{
    var options = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        options[args[i].TrimStart('-')] = args[i + 1];
    }

    return options;
}
