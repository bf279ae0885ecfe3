using System.Diagnostics;
using System.Globalization;
using CommunityBot.Backup;
using CommunityBot.Cli;
using CommunityBot.Storage;
using CommunityBot.Tickets;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommunityBot.Bench;

/// <summary>
/// Backup and restore at scale (issue 16): a store of <c>--count</c> tickets filled by <see cref="TicketsBenchmark"/> (or
/// an existing one, <c>--dir</c>) is backed up with <see cref="StoreBackup.Copy"/> (the same copy the server makes for
/// <c>backup FILE</c>), idle and then while <c>--writers</c> write tickets through the real group-commit path, and
/// restored with the CLI's <c>restore</c> into a fresh directory. Prints time and size of each, the copy's own check
/// (inspect) separately, and the write rate before and during the backup.
/// </summary>
public static class BackupBench
{
    public static async Task<int> RunAsync(Dictionary<string, string> options)
    {
        var count = int.Parse(options.GetValueOrDefault("count", "100000"), CultureInfo.InvariantCulture);
        var writers = int.Parse(options.GetValueOrDefault("writers", "8"), CultureInfo.InvariantCulture);
        var dir = options.GetValueOrDefault("dir") ?? Path.Combine(Path.GetTempPath(), $"cb-backup-{Environment.ProcessId}");
        var output = options.GetValueOrDefault("out") ?? Path.Combine(Path.GetTempPath(), $"cb-backup-out-{Environment.ProcessId}");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB, shared; load average {LoadAverage()}");
        var storage = new StorageOptions { DataDir = dir };
        var reuse = File.Exists(storage.DatabasePath);
        System.IO.Directory.CreateDirectory(dir);
        System.IO.Directory.CreateDirectory(output);
        using var database = StorageExtensions.OpenDatabase(storage);
        using var writer = new LiteDbWriter(database, NullLogger<LiteDbWriter>.Instance);
        if (!reuse)
        {
            var fill = Stopwatch.StartNew();
            new TicketsBenchmark(count, 0, TimeSpan.Zero, dir, baseline: false).Fill(database.GetCollection<Ticket>("tickets"));
            _ = new TicketStore(database, writer); // its indexes, as a real store has them
            database.Checkpoint();
            Console.WriteLine($"  filled in {fill.Elapsed.TotalSeconds:F0} s");
        }

        var store = new TicketStore(database, writer);
        Console.WriteLine($"store: {dir} ({(reuse ? "reused" : "filled")}), {database.GetCollection<Ticket>("tickets").LongCount():N0} tickets, {Size(storage.DatabasePath)}");

        var idle = StoreBackup.Copy(database, storage.DatabasePath, Path.Combine(output, "idle.db"));
        var inspect = Stopwatch.StartNew();
        StoreBackup.Inspect(idle.Path);
        Console.WriteLine($"backup, idle:        {idle.Elapsed.TotalSeconds:F1} s, {Size(idle.Path)}, {idle.Documents:N0} documents (of which the copy's own check: {inspect.Elapsed.TotalSeconds:F1} s)");

        // Writes before and during a backup: tickets/s through TicketStore.CreateAsync with `writers` at once.
        using var stop = new CancellationTokenSource();
        long written = 0;
        // A day the filler has not numbered (it fills up to today without the store's day counter).
        var local = DateTimeOffset.UtcNow.AddDays(2).ToOffset(TimeSpan.FromHours(8));
        var load = Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await store.CreateAsync(new Ticket { Category = "物业管理", Description = "备份期间写入", CreatedAt = local.UtcDateTime }, local);
                Interlocked.Increment(ref written);
            }
        })).ToList();
        var before = await RateAsync(() => Interlocked.Read(ref written), TimeSpan.FromSeconds(5));
        var startedAt = Interlocked.Read(ref written);
        var duringClock = Stopwatch.StartNew();
        var busy = await Task.Factory.StartNew(
            () => StoreBackup.Copy(database, storage.DatabasePath, Path.Combine(output, "busy.db")), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var during = (Interlocked.Read(ref written) - startedAt) / duringClock.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await Task.WhenAll(load);
        Console.WriteLine($"backup, {writers} writers: {busy.Elapsed.TotalSeconds:F1} s, {Size(busy.Path)}; writes {before:F0} tickets/s before, {during:F0} tickets/s during");

        var restoreDir = new StorageOptions { DataDir = Path.Combine(output, "restored") };
        var restore = Stopwatch.StartNew();
        var code = BackupCommands.Restore(restoreDir, idle.Path, TextWriter.Null, Console.Error);
        Console.WriteLine($"restore (copy + check): {restore.Elapsed.TotalSeconds:F1} s, exit {code}");
        var open = Stopwatch.StartNew();
        using (var restored = StorageExtensions.OpenDatabase(restoreDir))
        {
            _ = new TicketStore(restored, new LiteDbWriter(restored, NullLogger<LiteDbWriter>.Instance));
        }

        Console.WriteLine($"first open of the restored store (indexes present): {open.Elapsed.TotalSeconds:F1} s; load average {LoadAverage()}");
        return code;
    }

    private static async Task<double> RateAsync(Func<long> counter, TimeSpan window)
    {
        var start = counter();
        var clock = Stopwatch.StartNew();
        await Task.Delay(window);
        return (counter() - start) / clock.Elapsed.TotalSeconds;
    }

    private static string Size(string path) => $"{new FileInfo(path).Length / 1048576.0:F0} MiB";

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
