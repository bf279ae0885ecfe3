using System.Diagnostics;
using System.Globalization;
using CommunityBot.Dialogs.Grievance;
using CommunityBot.Storage;
using CommunityBot.Tickets;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommunityBot.Bench;

/// <summary>
/// Fills a LiteDB file with a street office's tickets through the real <see cref="TicketStore"/> (indexes and all),
/// then measures the file size, the worker queue and "我的工单" queries, and <see cref="TicketStore.CreateAsync"/>
/// throughput with concurrent writers. See eval/tickets-bench.sh.
/// </summary>
public sealed class TicketsBenchmark(int count, int queries, TimeSpan writeTime, string directory, bool baseline)
{
    private const int Workers = 200;
    private const int Residents = 50_000;
    private const int FillBatch = 5_000;

    private static readonly string[] Places = ["幸福里", "柳岸花园", "金水苑", "建业小区", "银河湾", "东风家属院", "锦绣华庭", "鑫苑名家"];

    private static readonly string[] Problems =
    [
        "楼道灯坏了好几天了，晚上上下楼很不方便", "楼下烧烤店天天半夜吵得睡不着", "电梯停了两天没人修，老人下不了楼",
        "小区门口垃圾堆了三天没人清运，味道很大", "楼顶漏水，家里墙面都发霉了", "有人在绿化带私搭乱建堆放杂物",
        "下水道堵了，污水漫到路面上", "消防通道被电动车堵死了", "路灯不亮，晚上出门不安全", "暖气不热，屋里只有十几度",
        "楼上装修噪音从早到晚", "单元门禁坏了，陌生人随便进出", "井盖松动，走上去咣当响", "小区里有流浪狗咬人",
    ];

    private readonly Random _random = new(20261123);
    private readonly DateTime _start = new(2024, 11, 23, 0, 0, 0, DateTimeKind.Utc);
    private readonly IReadOnlyList<string> _categories = GrievanceCategories.Default;

    public async Task<int> RunAsync()
    {
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB; load average {LoadAverage()}");
        System.IO.Directory.CreateDirectory(directory);
        var options = new StorageOptions { DataDir = directory };
        using var database = StorageExtensions.OpenDatabase(options);
        using var writer = new LiteDbWriter(database, NullLogger<LiteDbWriter>.Instance);
        var tickets = database.GetCollection<Ticket>("tickets");

        // Bulk path: documents first, then the store builds its indexes over them (each bulk insert would otherwise
        // update six indexes per document; measured at 50k: 570 tickets/s on the shared machine).
        Fill(tickets);
        var watch = Stopwatch.StartNew();
        var store = new TicketStore(database, writer);
        Console.WriteLine($"  TicketStore built its indexes in {watch.Elapsed.TotalSeconds:F0} s");
        database.Checkpoint();
        var bytes = new FileInfo(options.DatabasePath).Length;
        Console.WriteLine($"store file: {bytes / 1048576.0:F0} MiB for {count:N0} tickets = {bytes / 1048576.0 / (count / 100_000.0):F1} MiB per 100k tickets");

        // The same fixed work every call: its p99 over its p50 is what the shared machine's scheduling adds.
        var work = new byte[256 * 1024];
        Measure("noise floor: SHA-256 of 256 KiB", queries, () => System.Security.Cryptography.SHA256.HashData(work)[0] & 1);
        Measure("QueueOf(worker, 50)", queries, () => store.QueueOf(WorkerId(_random.Next(Workers))).Count);
        Measure("ReportedBy(resident, 20)", queries, () => store.ReportedBy(ResidentKey(_random.Next(Residents))).Count);
        MeasureConsoleList(store, Math.Min(queries, 200));
        if (baseline)
        {
            // The query without the queue index: the worker's tickets by the AssigneeId index, filtered and sorted in memory.
            Measure("baseline: AssigneeId index + filter/sort", Math.Min(queries, 500), () =>
            {
                var worker = WorkerId(_random.Next(Workers));
                return tickets.Find(t => t.AssigneeId == worker)
                    .Where(t => t.Status is TicketStatus.Pending or TicketStatus.InProgress or TicketStatus.Reopened)
                    .OrderBy(t => t.Status == TicketStatus.Pending ? t.SignBy : t.CloseBy)
                    .Take(50)
                    .Count();
            });
        }

        foreach (var writers in new[] { 1, 8, 32 })
        {
            await MeasureCreatesAsync(store, writers);
        }

        Console.WriteLine($"tickets after the write runs: {tickets.LongCount():N0}; load average {LoadAverage()}");
        return 0;
    }

    /// <summary>The admin console's ticket list (<see cref="TicketStore.Search"/>): one page of 101 rows per filter.</summary>
    private void MeasureConsoleList(TicketStore store, int calls)
    {
        var newest = _start.AddSeconds((DateTime.UtcNow.Date - _start).TotalSeconds);
        var page = new TicketFilter { Limit = 101 };
        Measure("console list: no filter, page 1", calls, () => store.Search(page).Count);
        Measure("console list: no filter, page 20", calls, () => store.Search(page with { Skip = 1900 }).Count);
        Measure("console list: status=Pending", calls, () => store.Search(page with { Status = TicketStatus.Pending }).Count);
        Measure("console list: grid", calls, () => store.Search(page with { GridId = $"g{_random.Next(Workers / 4):00}" }).Count);
        Measure("console list: category", calls, () => store.Search(page with { Category = _categories[_random.Next(_categories.Count)] }).Count);
        Measure("console list: last 7 days", calls, () => store.Search(page with { CreatedFromUtc = newest.AddDays(-7), CreatedBeforeUtc = newest }).Count);
        Measure("console list: level=Grid", calls, () => store.Search(page with { Level = TicketLevel.Grid }).Count);
        Measure("console list: level=Community (no match)", Math.Min(calls, 10), () => store.Search(page with { Level = TicketLevel.Community }).Count);
        Measure("console list: community scope (12 grids)", calls, () => store.Search(page with
        {
            GridIds = Enumerable.Range(0, 12).Select(g => $"g{g:00}").ToList(), HandlerIds = ["c01"],
        }).Count);
        Measure("console list: worker scope", calls, () => store.Search(page with { GridIds = [], HandlerIds = [WorkerId(_random.Next(Workers))] }).Count);
    }

    internal static string WorkerId(int i) => $"w{i:000}";

    internal static string ResidentKey(int i) => $"wecom|r{i:00000}";

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>When the <paramref name="i"/>-th of the filled tickets was created: the two years before today, oldest first.</summary>
    internal DateTime CreatedAt(int i) => _start.AddSeconds((DateTime.UtcNow.Date - _start).TotalSeconds * i / count);

    internal void Fill(ILiteCollection<Ticket> tickets)
    {
        var watch = Stopwatch.StartNew();
        var batch = new List<Ticket>(FillBatch);
        var perDay = new Dictionary<DateOnly, int>();
        var span = (DateTime.UtcNow.Date - _start).TotalSeconds;
        for (var i = 0; i < count; i++)
        {
            // Spread over the two years before today, oldest first, as the office would have filed them.
            var created = _start.AddSeconds(span * i / count);
            var day = DateOnly.FromDateTime(created.AddHours(8));
            var seq = perDay[day] = perDay.GetValueOrDefault(day) + 1;
            var ticket = NewTicket(created);
            ticket.Number = $"WT{day:yyyyMMdd}-{seq:0000}";
            batch.Add(ticket);
            if (batch.Count == FillBatch || i == count - 1)
            {
                tickets.InsertBulk(batch, batch.Count);
                batch.Clear();
                if ((i + 1) % 100_000 == 0 || i == count - 1)
                {
                    Console.WriteLine($"  filled {i + 1:N0} in {watch.Elapsed.TotalSeconds:F0} s ({(i + 1) / watch.Elapsed.TotalSeconds:F0}/s)");
                }
            }
        }
    }

    /// <summary>A ticket as the desk would have left it: 80 % closed, the rest waiting, in progress or reopened.</summary>
    internal Ticket NewTicket(DateTime created, bool newlyFiled = false)
    {
        var worker = WorkerId(_random.Next(Workers));
        var resident = _random.Next(Residents);
        var roll = _random.NextDouble();
        var status = newlyFiled ? TicketStatus.Pending : roll switch
        {
            < 0.60 => TicketStatus.Closed,
            < 0.80 => TicketStatus.Resolved,
            < 0.88 => TicketStatus.Pending,
            < 0.97 => TicketStatus.InProgress,
            _ => TicketStatus.Reopened,
        };
        var place = Places[_random.Next(Places.Length)];
        var building = _random.Next(1, 30).ToString(CultureInfo.InvariantCulture);
        var category = _categories[_random.Next(_categories.Count)];
        var reporter = new TicketReporter
        {
            Channel = "wecom",
            UserId = $"r{resident:00000}",
            UserName = $"居民{resident}",
            Conversation = $"{{\"channel\":\"wecom\",\"conversationId\":\"group-{resident % 400}\",\"userId\":\"r{resident:00000}\"}}",
            MaskedPhone = "138****" + (resident % 10000).ToString("0000", CultureInfo.InvariantCulture),
        };
        var ticket = new Ticket
        {
            Category = category,
            Description = $"{place}{building}号楼{Problems[_random.Next(Problems.Length)]}",
            CompoundId = $"c{Array.IndexOf(Places, place)}",
            CompoundName = place + "小区",
            Building = building,
            Reporter = reporter,
            ReporterKeys = [reporter.Key],
            GridId = $"g{int.Parse(worker[1..], CultureInfo.InvariantCulture) / 4:00}",
            AssigneeId = worker,
            AssigneeName = $"网格员{worker}",
            Status = status,
            CreatedAt = created,
            SignBy = created.AddHours(2),
            CloseBy = created.AddDays(3),
        };
        if (_random.NextDouble() < 0.05)
        {
            // A few tickets were joined (+1) by a neighbour, who then also sees them in "我的工单".
            var supporter = _random.Next(Residents);
            ticket.Supporters.Add(new TicketReporter { Channel = "wecom", UserId = $"r{supporter:00000}", UserName = $"居民{supporter}" });
            ticket.ReporterKeys.Add($"wecom|r{supporter:00000}");
        }

        ticket.Events.Add(new TicketEvent { At = created, Actor = "resident:" + reporter.Key, Kind = TicketEventKind.Created, Note = "" });
        ticket.Events.Add(new TicketEvent { At = created, Actor = "system", Kind = TicketEventKind.Assigned, Note = worker });
        if (status != TicketStatus.Pending)
        {
            ticket.Events.Add(new TicketEvent { At = created.AddMinutes(40), Actor = worker, Kind = TicketEventKind.Signed });
            ticket.Events.Add(new TicketEvent { At = created.AddHours(3), Actor = worker, Kind = TicketEventKind.Replied, Note = "已联系物业，明天上午派人处理。" });
        }

        if (status is TicketStatus.Resolved or TicketStatus.Closed or TicketStatus.Reopened)
        {
            ticket.Events.Add(new TicketEvent { At = created.AddDays(1), Actor = worker, Kind = TicketEventKind.Closed, Note = "已维修完毕，现场拍照确认。" });
        }

        if (status == TicketStatus.Closed)
        {
            ticket.Events.Add(new TicketEvent { At = created.AddDays(2), Actor = "resident:" + reporter.Key, Kind = TicketEventKind.Confirmed, Note = "已解决，满意" });
        }
        else if (status == TicketStatus.Reopened)
        {
            ticket.Events.Add(new TicketEvent { At = created.AddDays(2), Actor = "resident:" + reporter.Key, Kind = TicketEventKind.Reopened, Note = "未解决" });
        }

        return ticket;
    }

    internal static void Measure(string name, int calls, Func<int> query)
    {
        for (var i = 0; i < Math.Min(200, calls); i++)
        {
            query(); // warm-up: JIT and the pages of the index tops
        }

        var latencies = new double[calls];
        long rows = 0;
        for (var i = 0; i < calls; i++)
        {
            var started = Stopwatch.GetTimestamp();
            rows += query();
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        Array.Sort(latencies);
        Console.WriteLine(
            $"{name}: {calls:N0} calls, {rows / (double)calls:F1} rows each; p50 {Percentile(latencies, 50):F2} ms, p99 {Percentile(latencies, 99):F2} ms, max {latencies[^1]:F2} ms");
    }

    internal static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)];

    private async Task MeasureCreatesAsync(TicketStore store, int writers)
    {
        // Today's tickets get numbers from the store's own day counter, after every filled day.
        var localNow = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(1).AddHours(9), TimeSpan.Zero);
        var latencies = new List<double>();
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            var mine = new List<double>();
            while (watch.Elapsed < writeTime)
            {
                Ticket ticket;
                lock (_random)
                {
                    ticket = NewTicket(DateTime.UtcNow, newlyFiled: true);
                }

                var started = Stopwatch.GetTimestamp();
                await store.CreateAsync(ticket, localNow);
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
            $"CreateAsync, {writers,2} writers: {sorted.Length:N0} tickets in {elapsed.TotalSeconds:F1} s = {sorted.Length / elapsed.TotalSeconds:F0} tickets/s; p50 {Percentile(sorted, 50):F2} ms, p99 {Percentile(sorted, 99):F2} ms");
    }
}
