using System.Diagnostics;
using System.Globalization;
using CommunityBot.Directory;
using CommunityBot.Oversight;
using CommunityBot.Storage;
using CommunityBot.Storage.Postgres;
using CommunityBot.Tickets;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CommunityBot.Bench;

/// <summary>
/// The ticket store at scale on PostgreSQL (issue 14): fills a database with <c>--count</c> tickets through the real
/// <see cref="PostgresTicketStore.CreateAsync"/> (numbers, reporter rows and indexes as in production; many creates per
/// transaction, which only the fill does), then measures what <see cref="TicketsBenchmark"/> measures on LiteDB: the
/// worker queue and "我的工单" (p50/p99/max), creates per second with 1, 8 and 32 writers each committing its own
/// transaction (as a turn does), and a month's assessment of all grids (read + compute). A database that already holds
/// the tickets is reused. See eval/tickets-pg-bench.sh.
/// </summary>
public static class PostgresTicketsBench
{
    private const int FillBatch = 2_000;
    private const int Workers = 200;
    private const int Residents = 50_000;

    public static async Task<int> RunAsync(Dictionary<string, string> options)
    {
        var connection = options.GetValueOrDefault("connection")
            ?? throw new ArgumentException("--connection \"Host=…;Database=…\" names the PostgreSQL database to fill (it is migrated).");
        var count = int.Parse(options.GetValueOrDefault("count", "1000000"), CultureInfo.InvariantCulture);
        var queries = int.Parse(options.GetValueOrDefault("queries", "10000"), CultureInfo.InvariantCulture);
        var writeTime = TimeSpan.FromSeconds(double.Parse(options.GetValueOrDefault("write-seconds", "10"), CultureInfo.InvariantCulture));
        var month = DateOnly.ParseExact(options.GetValueOrDefault("month", "2026-10"), "yyyy-MM", CultureInfo.InvariantCulture);
        var runs = int.Parse(options.GetValueOrDefault("runs", "5"), CultureInfo.InvariantCulture);
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB, shared; load average {LoadAverage()}");

        await using var dataSource = new NpgsqlDataSourceBuilder(connection) { ConnectionStringBuilder = { MaxPoolSize = 64 } }.Build();
        await new PostgresSchemaMigrator(dataSource, NullLogger<PostgresSchemaMigrator>.Instance).MigrateAsync(CancellationToken.None);
        var store = new PostgresTicketStore(dataSource);
        var filler = new TicketsBenchmark(count, queries, writeTime, Path.GetTempPath(), baseline: false);
        var have = await CountAsync(dataSource);
        if (have < count)
        {
            await FillAsync(dataSource, store, filler, have, count);
        }

        await using (var analyze = dataSource.CreateCommand("ANALYZE"))
        {
            await analyze.ExecuteNonQueryAsync();
        }

        Console.WriteLine($"database: {await CountAsync(dataSource):N0} tickets, {await SizeAsync(dataSource)}; load average {LoadAverage()}");
        var random = new Random(20261203);
        await MeasureAsync("QueueOfAsync(worker, 50)", queries, async () =>
            (await store.QueueOfAsync(TicketsBenchmark.WorkerId(random.Next(Workers)))).Count);
        await MeasureAsync("ReportedByAsync(resident, 20)", queries, async () =>
            (await store.ReportedByAsync(TicketsBenchmark.ResidentKey(random.Next(Residents)))).Count);
        await MeasureAssessmentAsync(dataSource, month, runs);
        foreach (var writers in new[] { 1, 8, 32 })
        {
            await MeasureCreatesAsync(dataSource, store, filler, writers, writeTime);
        }

        Console.WriteLine($"tickets after the write runs: {await CountAsync(dataSource):N0}; load average {LoadAverage()}");
        return 0;
    }

    private static async Task FillAsync(NpgsqlDataSource dataSource, PostgresTicketStore store, TicketsBenchmark filler, long from, int count)
    {
        var watch = Stopwatch.StartNew();
        for (var i = (int)from; i < count;)
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            var end = Math.Min(count, i + FillBatch);
            for (; i < end; i++)
            {
                var created = filler.CreatedAt(i);
                var ticket = filler.NewTicket(created);
                await store.CreateAsync(ticket, new DateTimeOffset(created.AddHours(8).Ticks, TimeSpan.FromHours(8)), transaction, CancellationToken.None);
            }

            await transaction.CommitAsync();
            if (i % 100_000 == 0 || i == count)
            {
                Console.WriteLine($"  filled {i:N0} in {watch.Elapsed.TotalSeconds:F0} s ({(i - from) / watch.Elapsed.TotalSeconds:F0}/s)");
            }
        }
    }

    /// <summary>
    /// A month's assessment as the LiteDB bench times it: the month's tickets read through
    /// <see cref="PostgresAssessmentTickets"/> (only the fields the assessment needs), then the same
    /// <see cref="AssessmentService.Compute"/>. The grid directory is the default (empty) one, as in the LiteDB bench's
    /// fresh store.
    /// </summary>
    private static async Task MeasureAssessmentAsync(NpgsqlDataSource dataSource, DateOnly month, int runs)
    {
        var zone = new DirectoryOptions().ResolveTimeZone();
        var (from, to) = AssessmentService.MonthBounds(month.Year, month.Month, zone);
        var directory = new DirectorySnapshot(new DirectoryData());
        var source = new PostgresAssessmentTickets(dataSource);
        List<AssessedTicket> read = [];
        AssessmentResult? result = null;
        await MeasureRunsAsync($"assessment {month:yyyy-MM}, all grids (read + compute)", runs, async () =>
        {
            read = await source.CreatedBetweenAsync(from, to, CancellationToken.None).ToListAsync();
            result = AssessmentService.Compute(read, from, to, DateTime.UtcNow, AssessmentLevel.Grid, directory, zone, new AssessmentOptions());
        });
        await MeasureRunsAsync("  read: PostgresAssessmentTickets.CreatedBetweenAsync", runs, async () =>
            read = await source.CreatedBetweenAsync(from, to, CancellationToken.None).ToListAsync());
        Console.WriteLine($"  {result!.Title}: {result.Street.Volume:N0} tickets in the month, {read.Count:N0} read");
    }

    private static async Task MeasureCreatesAsync(NpgsqlDataSource dataSource, PostgresTicketStore store, TicketsBenchmark filler, int writers, TimeSpan writeTime)
    {
        // Today's numbers, after every filled day: one day's counter row, which every writer's create takes in turn.
        var localNow = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(1).AddHours(9).Ticks, TimeSpan.FromHours(8));
        var latencies = new List<double>();
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            var mine = new List<double>();
            while (watch.Elapsed < writeTime)
            {
                Ticket ticket;
                lock (filler)
                {
                    ticket = filler.NewTicket(DateTime.UtcNow, newlyFiled: true);
                }

                var started = Stopwatch.GetTimestamp();
                await using (var connection = await dataSource.OpenConnectionAsync())
                await using (var transaction = await connection.BeginTransactionAsync())
                {
                    await store.CreateAsync(ticket, localNow, transaction, CancellationToken.None);
                    await transaction.CommitAsync();
                }

                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            lock (latencies)
            {
                latencies.AddRange(mine);
            }
        })));
        var elapsed = watch.Elapsed;
        var sorted = latencies.ToArray();
        Array.Sort(sorted);
        Console.WriteLine(
            $"CreateAsync + commit, {writers,2} writers: {sorted.Length:N0} tickets in {elapsed.TotalSeconds:F1} s = {sorted.Length / elapsed.TotalSeconds:F0} tickets/s; p50 {TicketsBenchmark.Percentile(sorted, 50):F2} ms, p99 {TicketsBenchmark.Percentile(sorted, 99):F2} ms");
    }

    private static async Task MeasureAsync(string name, int calls, Func<Task<int>> query)
    {
        for (var i = 0; i < Math.Min(200, calls); i++)
        {
            await query(); // warm-up: JIT, the pool's connections, prepared plans
        }

        var latencies = new double[calls];
        long rows = 0;
        for (var i = 0; i < calls; i++)
        {
            var started = Stopwatch.GetTimestamp();
            rows += await query();
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        Array.Sort(latencies);
        Console.WriteLine(
            $"{name}: {calls:N0} calls, {rows / (double)calls:F1} rows each; p50 {TicketsBenchmark.Percentile(latencies, 50):F2} ms, p99 {TicketsBenchmark.Percentile(latencies, 99):F2} ms, max {latencies[^1]:F2} ms");
    }

    private static async Task MeasureRunsAsync(string name, int runs, Func<Task> work)
    {
        await work(); // warm-up
        var times = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await work();
            times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        Array.Sort(times);
        Console.WriteLine($"{name}: median {times[runs / 2]:F0} ms (min {times[0]:F0}, max {times[^1]:F0}; {runs} runs)");
    }

    private static async Task<long> CountAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM tickets");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<string> SizeAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT pg_size_pretty(pg_database_size(current_database()))");
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
