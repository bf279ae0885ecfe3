using CommunityBot.Channels.WebChat;
using CommunityBot.Clocks;
using CommunityBot.Conversation;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Engine;
using CommunityBot.Dialogs.Grievance;
using CommunityBot.Dialogs.Tickets;
using CommunityBot.Dialogs.Understanding;
using CommunityBot.Directory;
using CommunityBot.Notifications;
using CommunityBot.Storage;
using CommunityBot.Tickets;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CommunityBot.Demo;

/// <summary>
/// Generates the demo's past: residents' reports from the first day of the previous month up to the start, each taken
/// through the real <see cref="TicketDesk"/> at its own past moment — filed and routed by the directory and roster,
/// signed, answered, returned or transferred, closed, the resident's 解决/满意 answers and 重办 — while the escalation
/// sweep runs every half hour of that past, so late tickets get their real 催办 and 升级. The tickets, their events and
/// clocks land in the store; the cards and prompts the desk would have sent go to a scratch outbox and request store that are thrown away,
/// so nobody's chat fills with last month's messages. Every report says 【演示】 and comes from an 演示居民 of the
/// <see cref="ConversationId"/> conversation. The same seed, start time and directory give the same history.
/// </summary>
public sealed partial class DemoTicketHistory(
    TicketStore store,
    ITicketAssignment assignment,
    GridDirectory directory,
    TicketClock clock,
    LiteDbWriter writer,
    IOptions<TicketOptions> ticketOptions,
    ILogger<DemoTicketHistory> logger)
{
    /// <summary>The local chat conversation the demo reports were made in (no page shows it).</summary>
    public const string ConversationId = "demo-history";

    /// <summary>What every demo report's description starts with.</summary>
    public const string Mark = "【演示】";

    private static readonly TimeSpan SweepStep = TimeSpan.FromMinutes(30);

    // Compounds weighted by size; the 48 hours before the start avoid 幸福里, so a newcomer's first report in its group
    // (the README tour) opens a ticket of its own rather than joining a demo one as "+1".
    private static readonly (string Compound, int Weight)[] Compounds =
        [("xingfuli", 25), ("hepingli", 12), ("liuan", 16), ("binheyuan", 10), ("jianshelu18", 10), ("chunhui", 27)];

    private static readonly (string Category, int Weight, string[] Problems, string[] Notes)[] Categories =
    [
        ("物业管理", 28,
            ["楼道灯坏了好几天了，晚上上下楼看不清", "电梯经常停在半路，老人不敢坐", "单元门禁坏了，谁都能进", "楼顶漏水，顶楼家里墙皮都泡了", "小区绿化带好久没人修剪", "物业收了维修基金也不修门口的路面"],
            ["物业已更换楼道灯，已回访居民", "电梯维保单位已检修并更换控制板", "门禁已修复，已告知物业加强巡查", "已督促物业做防水，居民确认不再漏水"]),
        ("环境保护", 11,
            ["楼下烧烤店天天半夜吵得睡不着", "隔壁工地晚上十点以后还在施工", "餐馆油烟直冲楼上窗户", "广场舞音响声音太大"],
            ["已约谈商户，晚十点后停止营业", "已联系城管，工地夜间停工", "商户已加装油烟净化设备", "已与广场舞队协商，音量调低并提前结束"]),
        ("市容环卫", 10,
            ["垃圾桶满了两天没人清运", "楼下堆了很多装修垃圾", "小区门口有人乱摆摊", "路边有死老鼠没人管"],
            ["环卫已清运并消杀", "已通知物业清走装修垃圾", "城管已劝离摊贩", "已清理并通知物业定期巡查"]),
        ("水电气暖", 12,
            ["家里暖气不热，室温才十五度", "楼里水压太低，楼上没水", "单元电表箱冒火花", "闻到燃气味，不知道哪里漏"],
            ["热力公司已排气调压，室温恢复", "二次供水泵已检修，水压恢复", "供电所已更换电表箱线路", "燃气公司已检修管道接口"]),
        ("交通停车", 8,
            ["消防通道被私家车堵了", "小区门口乱停车，进出困难", "地库道闸坏了不抬杆", "有僵尸车占车位一年多了"],
            ["已联系车主挪车并张贴告知", "交警已在门口加强巡查", "物业已修复道闸", "已张贴告知书，车辆已拖离"]),
        ("邻里纠纷", 6,
            ["楼上每天半夜蹦迪，沟通无果", "邻居在楼道堆杂物不肯清", "邻居家狗整夜叫", "楼上空调水滴到我家阳台"],
            ["已上门调解，双方达成约定", "已协调清理楼道杂物", "已劝导犬主，夜间看管", "已协调加装冷凝水管"]),
        ("市政管养", 6,
            ["小区外路灯坏了一排", "人行道砖松动绊倒老人", "雨水井盖缺失很危险", "下水道堵了污水漫出来"],
            ["路灯管理所已修复", "市政已重铺人行道砖", "已补装井盖", "已疏通下水道"]),
        ("治安民警", 4,
            ["电动车在楼下被偷了", "有陌生人挨家敲门推销", "晚上有人在小区里喝酒闹事"],
            ["已报派出所立案，加强夜间巡逻", "民警已到场劝离，提醒居民注意", "民警已处置，物业加强门岗"]),
        ("楼盘房屋", 4,
            ["外墙瓷砖脱落，差点砸到人", "房屋墙体出现裂缝"],
            ["已拉警戒并维修外墙", "已请鉴定机构检测，暂无安全隐患"]),
        ("消防安全", 4,
            ["楼道里有人给电动车充电", "消防栓没有水", "楼道堆放纸箱堵住安全出口"],
            ["已劝导并清理，张贴禁止充电告示", "已检修消防管网", "已清理楼道杂物"]),
        ("市场监管", 3,
            ["小区超市卖过期食品", "菜市场秤不准"],
            ["市场监管所已检查并责令下架", "已对商户电子秤进行检定"]),
        ("社会事务", 2,
            ["独居老人好几天没出门，担心出事", "低保申请不知道进度"],
            ["社区已上门探望，老人身体无恙", "已告知居民办理进度"]),
    ];

    private static readonly string[] Replies = ["已联系物业，今天下午上门查看", "收到，正在协调相关部门", "已到现场查看，需要采购配件", "已记录，明天上午处理"];
    private static readonly string[] Surnames = ["张", "李", "王", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭"];

    /// <summary>
    /// Seeds the history ending at <paramref name="now"/> in one store write, all of it or none (a failure, a cancellation
    /// or a crash part-way keeps no ticket, event or timer of it); returns how many tickets it opened. <paramref name="claim"/>
    /// runs first in that write (its own writes are kept or lost with the history): when it says false nothing is seeded.
    /// </summary>
    public Task<int> SeedAsync(DateTimeOffset now, int seed, Func<Task<bool>>? claim, CancellationToken cancellationToken) =>
        // One commit instead of one per step: each commit is a disk flush, and a month of cases is thousands of steps.
        writer.WriteTogetherAsync(async () => claim is null || await claim() ? await RunStepsAsync(now, seed, cancellationToken) : 0);

    private async Task<int> RunStepsAsync(DateTimeOffset now, int seed, CancellationToken cancellationToken)
    {
        using var scratch = new LiteDatabase(new MemoryStream());
        using var scratchWriter = new LiteDbWriter(scratch, NullLogger<LiteDbWriter>.Instance);
        // The tickets and their timers are real; what the history would have told or asked anyone goes to the scratch database.
        var handoffs = new HandoffStore(scratch, scratchWriter);
        var tickets = new LiteDbTicketRepository(
            store, writer, new Outbox(scratch, scratchWriter, TimeProvider.System, Options.Create(new OutboxOptions())),
            new ProactiveTurnStore(scratch, scratchWriter, TimeProvider.System, Options.Create(new OutboxOptions())), handoffs, clock.Timers);
        var desk = new TicketDesk(
            tickets, assignment, handoffs, new NoPrivateChats(), TimeProvider.System, ticketOptions, NullLogger<TicketDesk>.Instance, clock);
        var random = new Random(seed);
        var steps = new PriorityQueue<Step, (DateTimeOffset, int)>();
        var order = 0;
        void Schedule(Step step) => steps.Enqueue(step, (step.At, order++));
        foreach (var report in Reports(now, random))
        {
            Schedule(report);
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var opened = 0;
        var swept = Start(now).Add(-SweepStep);
        while (steps.TryDequeue(out var step, out _))
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (; swept + SweepStep <= step.At; swept += SweepStep)
            {
                await desk.SweepEscalationsAsync(swept + SweepStep, cancellationToken);
            }

            var next = await RunAsync(desk, step, random, cancellationToken);
            opened += step.Kind == StepKind.File && next is not null ? 1 : 0;
            // A deadline long past (a 重办 keeps its first SignBy) must not put a step before the one that led to it.
            if (next is not null && next.At <= step.At)
            {
                next = next with { At = step.At + TimeSpan.FromMinutes(2) };
            }

            if (next is not null && next.At < now)
            {
                Schedule(next);
            }
        }

        for (; swept + SweepStep <= now; swept += SweepStep)
        {
            await desk.SweepEscalationsAsync(swept + SweepStep, cancellationToken);
        }

        LogSeeded(opened, Start(now), System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        return opened;
    }

    /// <summary>The first moment of the history: midnight of the first day of the previous month, office time.</summary>
    public DateTimeOffset Start(DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, clock.Zone);
        var first = new DateTime(local.Year, local.Month, 1).AddMonths(-1);
        return new DateTimeOffset(first, clock.Zone.GetUtcOffset(first));
    }

    private IEnumerable<Step> Reports(DateTimeOffset now, Random random)
    {
        var current = directory.Current;
        var start = Start(now);
        var resident = 0;
        for (var day = start; day < now; day = day.AddDays(1))
        {
            var weekend = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
            var count = (weekend ? 4 : 6) + random.Next(5);
            for (var i = 0; i < count; i++)
            {
                // Mostly in the daytime and evening; a few at night.
                var hour = random.NextDouble() < 0.9 ? 7 + random.Next(15) : random.Next(7);
                var at = day.AddHours(hour).AddMinutes(random.Next(60));
                var (categoryName, _, problems, _) = Pick(random, Categories, c => c.Weight);
                var compoundId = Pick(random, Compounds, c => c.Weight).Compound;
                if (now - at < TimeSpan.FromHours(48) && compoundId == "xingfuli")
                {
                    compoundId = "chunhui";
                }

                if (at >= now - TimeSpan.FromMinutes(30) || !current.Compounds.TryGetValue(compoundId, out var compound) || compound.Buildings.Count == 0)
                {
                    continue;
                }

                // A ticket keeps the building's number ("5"), as the intake does; its location reads "5号楼".
                var building = BuildingName.Normalize(compound.Buildings[random.Next(compound.Buildings.Count)]).Replace("号楼", "", StringComparison.Ordinal);
                resident++;
                var reporter = new ConversationReference
                {
                    Channel = WebChatMapper.ChannelId,
                    ConversationId = ConversationId,
                    IsGroup = true,
                    UserId = $"demo-resident-{resident:D4}",
                    UserName = $"演示居民{Surnames[random.Next(Surnames.Length)]}",
                    BotId = WebChatMapper.BotId,
                };
                var problem = problems[random.Next(problems.Length)];
                yield return new Step(StepKind.File, at, "", new GrievanceReport
                {
                    Reporter = reporter,
                    Category = categoryName,
                    Description = $"{Mark}{compound.Name}{building}号楼{problem}",
                    CompoundId = compound.Id,
                    CompoundName = compound.Name,
                    Building = building,
                    Phone = random.NextDouble() < 0.6 ? $"1390000{random.Next(10000):D4}" : null,
                });
            }
        }
    }

    /// <summary>Takes one step of a case through the desk; returns the case's next step, or null when it ends here.</summary>
    private async Task<Step?> RunAsync(TicketDesk desk, Step step, Random random, CancellationToken cancellationToken)
    {
        if (step.Kind == StepKind.File)
        {
            var receipt = await desk.FileAsync(step.Report!, step.At, cancellationToken);
            // A report that joined an open ticket ("+1") adds its reporter there; that ticket's own case goes on.
            return receipt.JoinedExisting ? null : SignStep(receipt.Number, step.At, step.Report!, random);
        }

        if (store.Find(step.Number) is not { } ticket)
        {
            return null;
        }

        if (step.Kind == StepKind.Feedback)
        {
            var roll = random.NextDouble();
            // A first answer is "fixed and satisfied" four times in five; after a 重办 more often, but not always.
            var content = step.Round == 0 ? 0.8 : 0.88;
            var (fixedIt, pleased) = roll < content ? (true, true) : roll < content + ((1 - content) / 2) ? (true, false) : (false, false);
            await desk.RecordFeedbackAsync(ticket.Number, ticket.Reporter.Address(), fixedIt, pleased, step.At, cancellationToken);
            return fixedIt && pleased ? null : SignStep(ticket.Number, step.At, step.Report!, random, step.Round + 1);
        }

        var actor = ActorFor(ticket);
        var (_, _, _, notes) = Categories.First(c => c.Category == ticket.Category);
        var (action, note, target) = step.Kind switch
        {
            StepKind.Sign => (WorkerAction.Sign, "", null),
            StepKind.Reply => (WorkerAction.Reply, Replies[random.Next(Replies.Length)], null),
            StepKind.Return => (WorkerAction.Return, "该点位不属于本网格，请社区重新分派", null),
            StepKind.Transfer => (WorkerAction.Transfer, "该楼栋由同事负责，转其处理", OtherGridWorker(ticket)),
            _ => (WorkerAction.Close, notes[random.Next(notes.Length)], (string?)null),
        };
        if (step.Kind == StepKind.Transfer && target is null)
        {
            return CloseStep(ticket, step, random);
        }

        var result = await desk.ActAsync(new WorkerActionRequest(ticket.Number, action, actor, note, step.At, target), cancellationToken);
        if (!result.Succeeded)
        {
            return null; // left as it is (e.g. nobody may act on it): an open ticket is part of a real month too
        }

        return step.Kind switch
        {
            // Returned to the community, or transferred to a colleague: they sign it themselves.
            StepKind.Return or StepKind.Transfer => step with { Kind = StepKind.Sign, At = step.At + Minutes(random, 10, 180) },
            StepKind.Sign when step.Round == 0 && random.NextDouble() < 0.04 => step with { Kind = StepKind.Transfer, At = step.At + Minutes(random, 20, 240) },
            StepKind.Sign when random.NextDouble() < 0.35 => step with { Kind = StepKind.Reply, At = step.At + Minutes(random, 10, 120) },
            StepKind.Sign or StepKind.Reply => CloseStep(store.Find(ticket.Number)!, step, random),
            // Most residents answer; after a second 重办 they tend to stop answering.
            StepKind.Close when step.Round < 2 && random.NextDouble() < 0.78 => step with { Kind = StepKind.Feedback, At = step.At + Minutes(random, 10, 24 * 60) },
            _ => null,
        };
    }

    private Step SignStep(string number, DateTimeOffset filed, GrievanceReport report, Random random, int round = 0)
    {
        var ticket = store.Find(number)!;
        var signBy = new DateTimeOffset(ticket.SignBy, TimeSpan.Zero);
        if (round == 0 && random.NextDouble() < 0.04)
        {
            return new Step(StepKind.Return, filed + Minutes(random, 3, 25), number, report, round);
        }

        // Four in five signed in time, shortly before the deadline (the next morning for a report at night); the rest late.
        var at = random.NextDouble() < 0.8
            ? Later(filed, signBy - Minutes(random, 1, 25))
            : signBy + Minutes(random, 5, 5 * 60);
        return new Step(StepKind.Sign, at, number, report, round);
    }

    private static Step CloseStep(Ticket ticket, Step step, Random random)
    {
        var closeBy = new DateTimeOffset(ticket.CloseBy, TimeSpan.Zero);
        var left = closeBy - step.At;
        var at = random.NextDouble() < 0.85 && left > TimeSpan.FromMinutes(30)
            ? step.At + TimeSpan.FromMinutes(30 + ((left.TotalMinutes - 30) * (0.05 + (0.85 * random.NextDouble()))))
            : closeBy + Minutes(random, 60, 3 * 24 * 60);
        return step with { Kind = StepKind.Close, At = at };
    }

    private ConversationReference ActorFor(Ticket ticket)
    {
        // Whoever holds the ticket acts; an office queue without a name is taken by the street office's staff.
        var worker = ticket.AssigneeId is { Length: > 0 } id
            ? id
            : directory.Current.Data.Workers.FirstOrDefault(w => w.Role == WorkerRole.Street)?.Id ?? "";
        return new ConversationReference { Channel = DirectoryAssignment.AdminChannel, ConversationId = "demo", UserId = worker };
    }

    private string? OtherGridWorker(Ticket ticket)
    {
        var current = directory.Current;
        var community = ticket.GridId is { } grid && current.Grids.TryGetValue(grid, out var g) ? g.Community : null;
        return current.Data.Workers.FirstOrDefault(w => w.Role == WorkerRole.Grid && w.Community == community && w.Id != ticket.AssigneeId && w.Active)?.Id;
    }

    private static DateTimeOffset Later(DateTimeOffset earliest, DateTimeOffset wanted) => wanted > earliest ? wanted : earliest + TimeSpan.FromMinutes(2);

    private static TimeSpan Minutes(Random random, int min, int max) => TimeSpan.FromMinutes(min + random.Next(max - min + 1));

    private static T Pick<T>(Random random, IReadOnlyList<T> items, Func<T, int> weight)
    {
        var roll = random.Next(items.Sum(weight));
        foreach (var item in items)
        {
            roll -= weight(item);
            if (roll < 0)
            {
                return item;
            }
        }

        return items[^1];
    }

    private enum StepKind
    {
        File,
        Sign,
        Reply,
        Return,
        Transfer,
        Close,
        Feedback,
    }

    /// <summary>One step of one case: what happens, when, to which ticket, and in which round (0, then 1 after a 重办).</summary>
    private sealed record Step(StepKind Kind, DateTimeOffset At, string Number, GrievanceReport? Report, int Round = 0);

    // The history asks nobody for a phone in a private chat: those residents are not on the page.
    private sealed class NoPrivateChats : IPrivateChats
    {
        public ConversationReference? With(ConversationReference member) => null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data: {Count} demo tickets seeded from {Start:yyyy-MM-dd} in {Seconds:0.0} s (each marked 【演示】)")]
    private partial void LogSeeded(int count, DateTimeOffset start, double seconds);
}
