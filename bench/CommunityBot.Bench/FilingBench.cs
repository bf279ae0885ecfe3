using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using CommunityBot.Clocks;
using CommunityBot.Conversation;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Grievance;
using CommunityBot.Notifications;
using CommunityBot.Storage;
using CommunityBot.Storage.Postgres;
using CommunityBot.Tickets;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CommunityBot.Bench;

/// <summary>
/// Tickets filed per second through <see cref="TicketDesk.FileAsync"/> with <c>--residents</c> residents filing at once
/// (issue 14), each report its own problem: the ticket, its worker card (outbox) and its timers in one commit, as a
/// resident's 提交 writes them. Measured on LiteDB (a file, as shipped), then on PostgreSQL with one host and with two
/// hosts (two desks, each with its own connection pool, the residents split between them), in one run. This is the desk's
/// commit, not a resident's whole turn: the dialog, the channel and the delivery are not in it (the web chat's grievance
/// load, <c>turns --mode grievance</c>, measures those on LiteDB). Each report carries a phone, so no proactive turn is
/// asked for (none is stored on PostgreSQL yet).
/// </summary>
public static class FilingBench
{
    public static async Task<int> RunAsync(Dictionary<string, string> options)
    {
        var connection = options.GetValueOrDefault("connection")
            ?? throw new ArgumentException("--connection \"Host=…;Database=…\" names a PostgreSQL database to use (its tickets are emptied).");
        var residents = int.Parse(options.GetValueOrDefault("residents", "32"), CultureInfo.InvariantCulture);
        var seconds = TimeSpan.FromSeconds(double.Parse(options.GetValueOrDefault("seconds", "10"), CultureInfo.InvariantCulture));
        var runs = int.Parse(options.GetValueOrDefault("runs", "3"), CultureInfo.InvariantCulture);
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB, shared; {residents} residents, {seconds.TotalSeconds:F0} s per run, {runs} runs each (interleaved)");

        await using (var migrate = NpgsqlDataSource.Create(connection))
        {
            await new PostgresSchemaMigrator(migrate, NullLogger<PostgresSchemaMigrator>.Instance).MigrateAsync(CancellationToken.None);
        }

        var results = new Dictionary<string, List<Result>> { ["LiteDB"] = [], ["PostgreSQL, 1 host"] = [], ["PostgreSQL, 2 hosts"] = [] };
        for (var run = 0; run < runs; run++)
        {
            results["LiteDB"].Add(await LiteDbAsync(residents, seconds));
            results["PostgreSQL, 1 host"].Add(await PostgresAsync(connection, hosts: 1, residents, seconds));
            results["PostgreSQL, 2 hosts"].Add(await PostgresAsync(connection, hosts: 2, residents, seconds));
        }

        foreach (var (name, list) in results)
        {
            var median = list.OrderBy(r => r.PerSecond).ElementAt(list.Count / 2);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-20} tickets/s median {median.PerSecond,7:F0} (runs: {string.Join(", ", list.Select(r => r.PerSecond.ToString("F0", CultureInfo.InvariantCulture)))}); that run's file p50 {median.P50,6:F1} ms, p99 {median.P99,6:F1} ms"));
        }

        return 0;
    }

    private static async Task<Result> LiteDbAsync(int residents, TimeSpan seconds)
    {
        var dir = Path.Combine(Path.GetTempPath(), "cb-filing-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dir);
        try
        {
            var storage = new StorageOptions { DataDir = dir };
            using var database = new LiteDatabase(new ConnectionString { Filename = storage.DatabasePath, Connection = ConnectionType.Direct });
            using var writer = new LiteDbWriter(database, NullLogger<LiteDbWriter>.Instance);
            var clock = new TicketClock(new HolidayStore(database), new TicketTimerStore(database), MsOptions.Create(new ClockOptions()));
            var outboxOptions = MsOptions.Create(new OutboxOptions());
            var handoffs = new HandoffStore(database, writer);
            var repository = new LiteDbTicketRepository(
                new TicketStore(database, writer), writer, new Outbox(database, writer, TimeProvider.System, outboxOptions),
                new ProactiveTurnStore(database, writer, TimeProvider.System, outboxOptions), handoffs, clock.Timers);
            var desk = new TicketDesk(repository, new SweepBench.BenchAssignment(), handoffs, new PrivateChats(), TimeProvider.System,
                MsOptions.Create(new TicketOptions()), NullLogger<TicketDesk>.Instance, clock);
            return await FileAsync([desk], residents, seconds);
        }
        finally
        {
            System.IO.Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<Result> PostgresAsync(string connection, int hosts, int residents, TimeSpan seconds)
    {
        await using (var empty = NpgsqlDataSource.Create(connection))
        await using (var command = empty.CreateCommand(
            "TRUNCATE tickets, ticket_reporters, ticket_submissions, ticket_counters, ticket_timers, handoffs, outbox, proactive_turns RESTART IDENTITY"))
        {
            await command.ExecuteNonQueryAsync();
        }

        var sources = new List<NpgsqlDataSource>();
        try
        {
            var desks = new List<TicketDesk>();
            for (var i = 0; i < hosts; i++)
            {
                // A host's pool, as the shipped default (Npgsql's 100) would give it.
                var source = NpgsqlDataSource.Create(connection);
                sources.Add(source);
                var handoffs = new PostgresHandoffStore(source);
                var repository = new PostgresTicketRepository(
                    source, new PostgresTicketStore(source), new PostgresTicketTimerStore(source),
                    new PostgresOutbox(source, TimeProvider.System, MsOptions.Create(new OutboxOptions())),
                    new PostgresProactiveTurnStore(source, TimeProvider.System, MsOptions.Create(new OutboxOptions())), handoffs,
                    new PostgresMediaStore(source), new PostgresOpen311SubmissionStore(source));
                desks.Add(new TicketDesk(repository, new SweepBench.BenchAssignment(), handoffs, new PrivateChats(), TimeProvider.System,
                    MsOptions.Create(new TicketOptions()), NullLogger<TicketDesk>.Instance,
                    TicketClock.KeepingTimersElsewhere(new ClockOptions())));
            }

            return await FileAsync(desks, residents, seconds);
        }
        finally
        {
            foreach (var source in sources)
            {
                await source.DisposeAsync();
            }
        }
    }

    // Each resident files one report after another until the time is up; resident i files on desk i % desks.
    private static async Task<Result> FileAsync(IReadOnlyList<TicketDesk> desks, int residents, TimeSpan duration)
    {
        var latencies = new ConcurrentBag<double>();
        var numbers = new ConcurrentBag<string>();
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, residents).Select(r => Task.Run(async () =>
        {
            var desk = desks[r % desks.Count];
            for (var n = 0; watch.Elapsed < duration; n++)
            {
                var started = Stopwatch.GetTimestamp();
                var receipt = await desk.FileAsync(Report(r, n), DateTimeOffset.UtcNow, CancellationToken.None);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                numbers.Add(receipt.Number);
            }
        })));
        var elapsed = watch.Elapsed.TotalSeconds;
        if (numbers.Distinct(StringComparer.Ordinal).Count() != numbers.Count)
        {
            throw new InvalidOperationException("Two reports got the same ticket number.");
        }

        var sorted = latencies.Order().ToList();
        return new Result(numbers.Count / elapsed, sorted[sorted.Count / 2], sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(sorted.Count * 0.99) - 1)]);
    }

    private static GrievanceReport Report(int resident, int n) => new()
    {
        Reporter = new ConversationReference
        {
            Channel = "webchat", ConversationId = "group-" + (resident % 8), IsGroup = true, UserId = "resident-" + resident, UserName = "居民",
        },
        Category = "环境保护",
        Description = "楼下烧烤店半夜太吵",
        CompoundId = "c" + resident,
        // Each report its own place: none joins another's ticket as a duplicate.
        Landmark = $"{n}号门",
        Phone = "13800000000",
    };

    private sealed record Result(double PerSecond, double P50, double P99);
}
