using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CommunityBot.Clocks;
using CommunityBot.Conversation;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Engine;
using CommunityBot.Notifications;
using CommunityBot.Storage;
using CommunityBot.Tickets;
using LiteDB;
using JsonSerializer = System.Text.Json.JsonSerializer;
using Microsoft.Extensions.Logging.Abstractions;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CommunityBot.Bench;

/// <summary>
/// Times <see cref="TicketDesk.SweepEscalationsAsync"/> over a LiteDB file holding <c>--tickets</c> open tickets with
/// armed timers: idle sweeps (nothing due) and busy sweeps (one batch of <c>--batch</c> tickets due for 催办 each).
/// </summary>
public static class SweepBench
{
    public static async Task<int> RunAsync(Dictionary<string, string> options)
    {
        var count = int.Parse(options.GetValueOrDefault("tickets", "100000"), CultureInfo.InvariantCulture);
        var batch = int.Parse(options.GetValueOrDefault("batch", "1000"), CultureInfo.InvariantCulture);
        var runs = int.Parse(options.GetValueOrDefault("runs", "5"), CultureInfo.InvariantCulture);
        var dir = Path.Combine(Path.GetTempPath(), $"cb-sweep-{Guid.NewGuid():N}");
        var storage = new StorageOptions { DataDir = dir };
        try
        {
            using var database = StorageExtensions.OpenDatabase(storage);
            using var writer = new LiteDbWriter(database, NullLogger<LiteDbWriter>.Instance);
            var clock = new TicketClock(new HolidayStore(database), new TicketTimerStore(database), MsOptions.Create(new ClockOptions()));
            var store = new TicketStore(database, writer);
            var outbox = new Outbox(database, writer, TimeProvider.System, MsOptions.Create(new OutboxOptions()));
            var handoffs = new HandoffStore(database, writer);
            var repository = new LiteDbTicketRepository(
                store, writer, outbox, new ProactiveTurnStore(database, writer, TimeProvider.System, MsOptions.Create(new OutboxOptions())), handoffs, clock.Timers);
            var desk = new TicketDesk(
                repository, new BenchAssignment(), handoffs, new PrivateChats(), TimeProvider.System,
                MsOptions.Create(new TicketOptions()), NullLogger<TicketDesk>.Instance, clock);

            // Monday 2026-11-23 09:00 in Beijing; batch i is filed i minutes later, so at T0 + 24 min + r minutes exactly
            // batch r is due for its signing reminder (and no batch is due to escalate before T0 + 30 min).
            var t0 = new DateTime(2026, 11, 23, 1, 0, 0, DateTimeKind.Utc);
            var fill = Stopwatch.StartNew();
            Fill(database, clock, count, batch, t0);
            Console.WriteLine($"filled {count:N0} open tickets with timers in {fill.Elapsed.TotalSeconds:F1} s ({new FileInfo(storage.DatabasePath).Length / 1024 / 1024} MiB)");

            var idle = new List<double>();
            for (var i = 0; i < 7; i++)
            {
                idle.Add(await TimeAsync(desk, t0.AddMinutes(23), expected: 0));
            }

            var busy = new List<double>();
            for (var r = 0; r < Math.Min(runs, 6); r++)
            {
                busy.Add(await TimeAsync(desk, t0.AddMinutes(24 + r), expected: batch));
            }

            Console.WriteLine($"idle sweep (0 due of {count:N0}):      median {Median(idle):F2} ms  [{string.Join(", ", idle.Select(x => x.ToString("F2", CultureInfo.InvariantCulture)))}]");
            Console.WriteLine($"busy sweep ({batch:N0} 催办 of {count:N0}): median {Median(busy):F1} ms  [{string.Join(", ", busy.Select(x => x.ToString("F0", CultureInfo.InvariantCulture)))}]");
            Console.WriteLine($"outbox rows written: {database.GetCollection("outbox").Count():N0}; machine: {Environment.ProcessorCount} cores; load average: {File.ReadAllText("/proc/loadavg").Trim()}");
            return 0;
        }
        finally
        {
            System.IO.Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<double> TimeAsync(TicketDesk desk, DateTime utc, int expected)
    {
        var watch = Stopwatch.StartNew();
        var fired = await desk.SweepEscalationsAsync(new DateTimeOffset(utc), CancellationToken.None);
        watch.Stop();
        if (fired != expected)
        {
            throw new InvalidOperationException($"Sweep at {utc:u} stepped {fired} tickets, expected {expected}.");
        }

        return watch.Elapsed.TotalMilliseconds;
    }

    private static void Fill(LiteDatabase database, TicketClock clock, int count, int batch, DateTime t0)
    {
        var tickets = database.GetCollection<Ticket>("tickets");
        var timers = database.GetCollection<TicketTimer>("ticket_timers");
        var origin = JsonSerializer.Serialize(
            new ConversationReference { Channel = "webchat", ConversationId = "group-1", UserId = "resident", UserName = "居民" }, DialogJson.Options);
        var categories = new[] { "环境保护", "水电气暖", "物业管理", "邻里纠纷", "市政管养" };
        for (var start = 0; start < count; start += 5000)
        {
            var page = Enumerable.Range(start, Math.Min(5000, count - start)).Select(i =>
            {
                var created = t0.AddMinutes(i / batch);
                var ticket = new Ticket
                {
                    Number = $"WT20261123-{i:000000}",
                    Category = categories[i % categories.Length],
                    Description = "楼下烧烤店半夜很吵",
                    CompoundName = "幸福里小区",
                    Building = (i % 30 + 1).ToString(CultureInfo.InvariantCulture),
                    Reporter = new TicketReporter { Channel = "webchat", UserId = "resident", UserName = "居民", Conversation = origin },
                    GridId = "g" + (i % 50),
                    AssigneeId = "w" + (i % 50),
                    AssigneeName = "网格员",
                    Status = TicketStatus.Pending,
                    CreatedAt = created,
                    Events = [new TicketEvent { At = created, Actor = "system", Kind = TicketEventKind.Created }],
                };
                return ticket;
            }).ToList();
            database.BeginTrans();
            foreach (var ticket in page)
            {
                var write = TicketWrite.ForNew(ticket.Number);
                clock.Start(ticket, ticket.CreatedAt, write);
                timers.Upsert(write.Timer!);
            }

            tickets.InsertBulk(page);
            database.Commit();
        }

        Console.WriteLine($"timers stored: {timers.Count():N0}");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>Every grid has a worker, a community supervisor and a street office; all reachable on the web chat.</summary>
    internal sealed class BenchAssignment : ITicketAssignment
    {
        public Assignment Assign(string? compoundId, string? building, string category, DateTimeOffset at) =>
            new("g0", "w0", "网格员", TicketLevel.Grid, [], "bench");

        public Assignment Supervisor(string? gridId, DateTimeOffset at) =>
            new(gridId, "c-" + gridId, "社区", TicketLevel.Community, [], "bench");

        public Assignment StreetOffice(DateTimeOffset at) => new(null, "street", "街道", TicketLevel.Street, [], "bench");

        public WorkerIdentity? FindWorkerNamed(string text) => null;

        public WorkerIdentity? FindWorker(string channel, string userId) => null;

        public ConversationReference? PrivateAddressOf(string workerId, ConversationReference origin) =>
            new() { Channel = origin.Channel, ConversationId = "private-" + workerId, UserId = workerId, UserName = workerId };
    }
}
