using System.Diagnostics;
using System.Globalization;
using CommunityBot.Directory;
using CommunityBot.Oversight;
using CommunityBot.Storage;
using CommunityBot.Tickets;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CommunityBot.Bench;

/// <summary>
/// Times a month's assessment of all grids (<see cref="AssessmentService.ComputeMonthAsync(int, int, AssessmentLevel, CancellationToken)"/>) over a store of
/// <c>--count</c> tickets filled by <see cref="TicketsBenchmark"/> (or an existing one, <c>--dir</c>), median of
/// <c>--runs</c>; also the parts (reading the projection, reading whole tickets, the computation alone, the workbook).
/// </summary>
public static class AssessmentBench
{
    public static int Run(Dictionary<string, string> options)
    {
        var count = int.Parse(options.GetValueOrDefault("count", "1000000"), CultureInfo.InvariantCulture);
        var runs = int.Parse(options.GetValueOrDefault("runs", "5"), CultureInfo.InvariantCulture);
        var month = DateOnly.ParseExact(options.GetValueOrDefault("month", "2026-10"), "yyyy-MM", CultureInfo.InvariantCulture);
        var dir = options.GetValueOrDefault("dir") ?? Path.Combine(Path.GetTempPath(), $"cb-assessment-{Environment.ProcessId}");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB, shared; load average {LoadAverage()}");
        var storage = new StorageOptions { DataDir = dir };
        var reuse = File.Exists(storage.DatabasePath);
        System.IO.Directory.CreateDirectory(dir);
        using var database = StorageExtensions.OpenDatabase(storage);
        if (!reuse)
        {
            using var writer = new LiteDbWriter(database, NullLogger<LiteDbWriter>.Instance);
            new TicketsBenchmark(count, 0, TimeSpan.Zero, dir, baseline: false).Fill(database.GetCollection<Ticket>("tickets"));
            var indexes = Stopwatch.StartNew();
            _ = new TicketStore(database, writer);
            Console.WriteLine($"  indexes built in {indexes.Elapsed.TotalSeconds:F0} s");
            database.Checkpoint();
        }

        var tickets = database.GetCollection<Ticket>("tickets");
        Console.WriteLine($"store: {dir} ({(reuse ? "reused" : "filled")}), {tickets.LongCount():N0} tickets, {new FileInfo(storage.DatabasePath).Length / 1048576.0:F0} MiB");

        var zone = new DirectoryOptions().ResolveTimeZone();
        var directory = new GridDirectory(new DirectoryStore(database), NullLogger<GridDirectory>.Instance);
        var source = new LiteDbAssessmentTickets(database);
        var service = new AssessmentService(
            source, directory, MsOptions.Create(new AssessmentOptions()), MsOptions.Create(new DirectoryOptions()), TimeProvider.System,
            NullLogger<AssessmentService>.Instance);
        var (from, to) = AssessmentService.MonthBounds(month.Year, month.Month, zone);
        using var storeWriter = new LiteDbWriter(database, NullLogger<LiteDbWriter>.Instance);
        var store = new TicketStore(database, storeWriter);

        foreach (var where in new[] { "$.CreatedAt >= @0 AND $.CreatedAt < @1", "$.CreatedAt BETWEEN @0 AND @1" })
        {
            var plan = tickets.Query().Where(where, new BsonValue(from), new BsonValue(to)).GetPlan();
            Console.WriteLine($"plan of {where}: index {plan["index"]["expr"]} {plan["index"]["mode"]}, filters {plan["filters"]}");
        }

        AssessmentResult? result = null;
        List<AssessedTicket> read = [];
        Measure($"ComputeMonthAsync({month:yyyy-MM}), all grids (read + compute)", runs, () => result = service.ComputeMonthAsync(month.Year, month.Month).GetAwaiter().GetResult());
        Measure("  read: LiteDbAssessmentTickets.Read", runs, () => read = source.Read(from, to).ToList());
        var raw = database.GetCollection("tickets");
        Measure("  read: whole documents, no object mapper", runs, () => raw.Query()
            .Where("$.CreatedAt BETWEEN @0 AND @1", new BsonValue(from), new BsonValue(to)).ToEnumerable().Select(AssessedTicket.FromBson).Count());
        Measure("  read: projection of the needed fields (LiteDB expression), no object mapper", runs, () => raw.Query()
            .Where("$.CreatedAt BETWEEN @0 AND @1", new BsonValue(from), new BsonValue(to)).Select(AssessedTicket.Projection).ToEnumerable()
            .Select(AssessedTicket.FromBson).Count());
        Measure("  read: whole Ticket objects (TicketStore.CreatedBetween)", runs, () => store.CreatedBetween(from, to).Where(t => t.CreatedAt < to).Select(AssessedTicket.FromTicket).Count());
        var asOf = DateTime.UtcNow;
        Measure("  compute alone, tickets in memory", runs, () => AssessmentService.Compute(read, from, to, asOf, AssessmentLevel.Grid, directory.Current, zone, new AssessmentOptions()));
        Measure("  workbook (MiniExcel, every table)", runs, () =>
        {
            using var stream = new MemoryStream();
            AssessmentWorkbook.Write(stream, result!);
            return stream.Length;
        });

        var street = result!.Street;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{result.Title}: {street.Volume:N0} tickets, {result.Units.Count(u => u.Level == AssessmentLevel.Grid)} grids, {result.Workers.Count} workers; " +
            $"响应率 {street.ResponseRate:P1} 解决率 {street.SolvedRate:P1} 满意率 {street.SatisfiedRate:P1} 及时签收率 {street.TimelySignRate:P1} " +
            $"按时办结率 {street.OnTimeCloseRate:P1} 重办率 {street.ReopenRate:P1}; response median {result.ResponseTimes.Median}, closing median {result.ClosingTimes.Median}"));
        Console.WriteLine($"load average after: {LoadAverage()}");
        return 0;
    }

    private static void Measure(string name, int runs, Func<object?> work)
    {
        work(); // warm-up: JIT and the index pages
        var times = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var started = Stopwatch.GetTimestamp();
            work();
            times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        Array.Sort(times);
        Console.WriteLine($"{name}: median {times[runs / 2]:F0} ms (min {times[0]:F0}, max {times[^1]:F0}; {runs} runs)");
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
