using System.Diagnostics;
using System.Globalization;
using CommunityBot.Directory;
using CommunityBot.Storage;
using CommunityBot.Tickets;
using LiteDB;
using Microsoft.Extensions.Options;

namespace CommunityBot.Oversight;

/// <summary>
/// The assessment figures and rankings of a period (DESIGN.md journey 9; definitions in README.md): one pass over the
/// period's tickets, read through the CreatedAt index as raw documents without the object mapper.
/// </summary>
public sealed partial class AssessmentService
{
    private static readonly (TimeSpan, string)[] ResponseBuckets =
    [
        (TimeSpan.FromMinutes(5), "≤5分钟"), (TimeSpan.FromMinutes(30), "≤30分钟"), (TimeSpan.FromHours(1), "≤1小时"),
        (TimeSpan.FromHours(2), "≤2小时"), (TimeSpan.FromHours(4), "≤4小时"), (TimeSpan.FromHours(24), "≤24小时"),
    ];

    private static readonly (TimeSpan, string)[] ClosingBuckets =
    [
        (TimeSpan.FromHours(4), "≤4小时"), (TimeSpan.FromDays(1), "≤1天"), (TimeSpan.FromDays(3), "≤3天"),
        (TimeSpan.FromDays(7), "≤7天"), (TimeSpan.FromDays(15), "≤15天"),
    ];

    private readonly ILiteCollection<BsonDocument> _tickets;
    private readonly GridDirectory _directory;
    private readonly AssessmentOptions _options;
    private readonly TimeZoneInfo _zone;
    private readonly TimeProvider _time;
    private readonly ILogger<AssessmentService> _logger;

    public AssessmentService(
        ILiteDatabase database, GridDirectory directory, IOptions<AssessmentOptions> options, IOptions<DirectoryOptions> directoryOptions,
        TimeProvider time, ILogger<AssessmentService> logger)
    {
        _tickets = LiteDbCollections.Open(database, "tickets");
        _directory = directory;
        _options = options.Value;
        _zone = directoryOptions.Value.ResolveTimeZone();
        _time = time;
        _logger = logger;
    }

    /// <summary>The local calendar month (e.g. 2026-11 in Asia/Shanghai) as UTC bounds.</summary>
    public static (DateTime FromUtc, DateTime ToUtc) MonthBounds(int year, int month, TimeZoneInfo zone)
    {
        var start = new DateTime(year, month, 1, 0, 0, 0, DateTimeKind.Unspecified);
        return (TimeZoneInfo.ConvertTimeToUtc(start, zone), TimeZoneInfo.ConvertTimeToUtc(start.AddMonths(1), zone));
    }

    /// <summary>The figures of a local calendar month.</summary>
    public AssessmentResult ComputeMonth(int year, int month, AssessmentLevel level = AssessmentLevel.Grid)
    {
        var (from, to) = MonthBounds(year, month, _zone);
        return Compute(from, to, level) with { Title = $"{year:0000}-{month:00}" };
    }

    /// <summary>
    /// The month's figures for the whole street and, when <paramref name="communityId"/> is given, the same computation
    /// on that community's tickets only (tickets of its grids): its own volumes, distributions and charts. One read.
    /// </summary>
    public (AssessmentResult Street, AssessmentResult? Community) ComputeMonth(int year, int month, string? communityId)
    {
        var (from, to) = MonthBounds(year, month, _zone);
        var title = $"{year:0000}-{month:00}";
        var asOf = _time.GetUtcNow().UtcDateTime;
        var directory = _directory.Current;
        var tickets = Read(from, to).ToList();
        var street = Compute(tickets, from, to, asOf, AssessmentLevel.Grid, directory, _zone, _options) with { Title = title };
        if (communityId is null)
        {
            return (street, null);
        }

        var own = tickets.Where(t => t.GridId is { } grid && directory.Grids.TryGetValue(grid, out var known) && known.Community == communityId);
        return (street, Compute(own, from, to, asOf, AssessmentLevel.Grid, directory, _zone, _options) with { Title = title });
    }

    /// <summary>
    /// The figures of tickets created from <paramref name="fromUtc"/> (inclusive) to <paramref name="toUtc"/> (exclusive),
    /// with units down to <paramref name="level"/> (Grid: street, communities and grids).
    /// </summary>
    public AssessmentResult Compute(DateTime fromUtc, DateTime toUtc, AssessmentLevel level = AssessmentLevel.Grid)
    {
        var started = Stopwatch.GetTimestamp();
        var result = Compute(Read(fromUtc, toUtc), fromUtc, toUtc, _time.GetUtcNow().UtcDateTime, level, _directory.Current, _zone, _options);
        LogComputed(result.Street.Volume, result.Title, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return result;
    }

    /// <summary>
    /// The period's tickets, streamed through the CreatedAt index as raw documents: LiteDB reads whole documents from
    /// its pages either way, and skipping the object mapper is what saves time (a LiteDB projection of only the needed
    /// fields measured no faster: eval/README.md).
    /// </summary>
    // One BETWEEN is one index range; LiteDB 5 would use the index for only one side of "a >= x AND a < y" and load
    // every later ticket to filter it. BETWEEN is inclusive, so a ticket created at exactly toUtc is dropped here.
    public IEnumerable<AssessedTicket> Read(DateTime fromUtc, DateTime toUtc) =>
        _tickets.Query()
            .Where("$.CreatedAt BETWEEN @0 AND @1", new BsonValue(fromUtc), new BsonValue(toUtc))
            .ToEnumerable()
            .Select(AssessedTicket.FromBson)
            .Where(t => t.CreatedAt < toUtc);

    /// <summary>The pure computation: everything else only reads.</summary>
    public static AssessmentResult Compute(
        IEnumerable<AssessedTicket> tickets, DateTime fromUtc, DateTime toUtc, DateTime asOfUtc, AssessmentLevel level,
        DirectorySnapshot directory, TimeZoneInfo zone, AssessmentOptions options)
    {
        var streetName = directory.Data.StreetOffice.Name is { Length: > 0 } s ? s : "街道";
        var street = new Accumulator(AssessmentLevel.Street, "street", streetName, "");
        var communities = new Dictionary<string, Accumulator>(StringComparer.Ordinal);
        var grids = new Dictionary<string, Accumulator>(StringComparer.Ordinal);
        var workers = new Dictionary<string, Accumulator>(StringComparer.Ordinal);
        var byDay = new Dictionary<DateOnly, int>();
        var byCategory = new Dictionary<string, int>(StringComparer.Ordinal);
        var responseTimes = new List<TimeSpan>();
        var closingTimes = new List<TimeSpan>();

        // Every grid and community of the directory gets a row, with or without tickets: a quiet grid is news too.
        foreach (var community in directory.Data.Communities)
        {
            communities[community.Id] = new Accumulator(AssessmentLevel.Community, community.Id, community.Name, streetName);
        }

        foreach (var grid in directory.Data.Grids)
        {
            grids[grid.Id] = new Accumulator(AssessmentLevel.Grid, grid.Id, grid.Name, CommunityName(directory, grid.Community));
        }

        foreach (var ticket in tickets)
        {
            // The store is queried by these bounds already; checking again keeps the pure method honest for any input.
            if (ticket.CreatedAt < fromUtc || ticket.CreatedAt >= toUtc)
            {
                continue;
            }

            var gridId = ticket.GridId ?? "";
            if (!grids.TryGetValue(gridId, out var grid))
            {
                grid = grids[gridId] = new Accumulator(AssessmentLevel.Grid, gridId, gridId.Length == 0 ? "未分网格" : gridId, "未知社区");
            }

            var communityId = directory.Grids.TryGetValue(gridId, out var known) ? known.Community : "";
            if (!communities.TryGetValue(communityId, out var community))
            {
                community = communities[communityId] = new Accumulator(AssessmentLevel.Community, communityId, communityId.Length == 0 ? "未知社区" : communityId, streetName);
            }

            if (!workers.TryGetValue(ticket.AssigneeId, out var worker))
            {
                var name = directory.Workers.TryGetValue(ticket.AssigneeId, out var w) ? w.Name : ticket.AssigneeName;
                var parent = w?.Community is { } c ? CommunityName(directory, c) : "";
                worker = workers[ticket.AssigneeId] = new Accumulator(AssessmentLevel.Worker, ticket.AssigneeId, name, parent);
            }

            var response = ticket.FirstResponse - ticket.CreatedAt;
            var closing = ticket.IsDone ? ticket.LastClosed - ticket.CreatedAt : null;
            street.Add(ticket, asOfUtc, response, closing);
            community.Add(ticket, asOfUtc, response, closing);
            grid.Add(ticket, asOfUtc, response, closing);
            worker.Add(ticket, asOfUtc, response, closing);
            if (response is { } r)
            {
                responseTimes.Add(r);
            }

            if (closing is { } d)
            {
                closingTimes.Add(d);
            }

            var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(ticket.CreatedAt, zone));
            byDay[day] = byDay.GetValueOrDefault(day) + 1;
            byCategory[ticket.Category] = byCategory.GetValueOrDefault(ticket.Category) + 1;
        }

        var units = new List<UnitFigures> { street.Figures() };
        if (level is AssessmentLevel.Community or AssessmentLevel.Grid or AssessmentLevel.Worker)
        {
            units.AddRange(communities.Values.Select(a => a.Figures()).OrderBy(u => u.Id, StringComparer.Ordinal));
        }

        var gridFigures = grids.Values.Select(a => a.Figures()).OrderBy(u => u.Id, StringComparer.Ordinal).ToList();
        if (level is AssessmentLevel.Grid or AssessmentLevel.Worker)
        {
            units.AddRange(gridFigures);
        }

        var workerFigures = workers.Values.Select(a => a.Figures()).OrderBy(u => u.Id, StringComparer.Ordinal).ToList();
        var firstDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(fromUtc, zone));
        var lastDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(toUtc.AddTicks(-1), zone));
        var days = new List<(DateOnly, int)>();
        for (var day = firstDay; day <= lastDay && toUtc > fromUtc; day = day.AddDays(1))
        {
            days.Add((day, byDay.GetValueOrDefault(day)));
        }

        return new AssessmentResult
        {
            Title = $"{firstDay:yyyy-MM-dd} – {lastDay:yyyy-MM-dd}",
            FromUtc = fromUtc,
            ToUtc = toUtc,
            AsOfUtc = asOfUtc,
            Units = units,
            Workers = workerFigures,
            ResponseTimes = TimeDistribution.Of(responseTimes, ResponseBuckets, ">24小时"),
            ClosingTimes = TimeDistribution.Of(closingTimes, ClosingBuckets, ">15天"),
            ByDay = days,
            ByCategory = byCategory.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value)).ToList(),
            GridRanking = Ranking.Of(gridFigures, options),
            WorkerRanking = Ranking.Of(workerFigures, options),
        };
    }

    private static string CommunityName(DirectorySnapshot directory, string communityId) =>
        directory.Communities.TryGetValue(communityId, out var c) ? c.Name : communityId;

    [LoggerMessage(Level = LogLevel.Information, Message = "Assessment of {Volume} tickets ({Title}) computed in {Milliseconds:F0} ms")]
    private partial void LogComputed(int volume, string title, double milliseconds);

    /// <summary>The running counts of one unit.</summary>
    private sealed class Accumulator(AssessmentLevel level, string id, string name, string parent)
    {
        private readonly List<TimeSpan> _response = [];
        private readonly List<TimeSpan> _closing = [];
        private int _volume, _responded, _signDue, _signedOnTime, _closeDue, _closedOnTime, _closed, _reopened, _returned, _feedback, _fixed, _satisfied;

        public void Add(AssessedTicket t, DateTime asOfUtc, TimeSpan? response, TimeSpan? closing)
        {
            _volume++;
            if (response is { } r)
            {
                _responded++;
                _response.Add(r);
            }

            if (t.FirstSigned is not null || t.SignBy <= asOfUtc)
            {
                _signDue++;
                if (t.FirstSigned <= t.SignBy)
                {
                    _signedOnTime++;
                }
            }

            if (t.IsDone || t.CloseBy <= asOfUtc)
            {
                _closeDue++;
                if (t.IsDone && t.LastClosed <= t.CloseBy)
                {
                    _closedOnTime++;
                }
            }

            if (closing is { } d)
            {
                _closing.Add(d);
            }

            _closed += t.EverClosed ? 1 : 0;
            _reopened += t.EverReopened && t.EverClosed ? 1 : 0;
            _returned += t.EverReturned ? 1 : 0;
            if (t.Fixed is { } fixedIt)
            {
                _feedback++;
                _fixed += fixedIt ? 1 : 0;
                _satisfied += t.Satisfied == true ? 1 : 0;
            }
        }

        public UnitFigures Figures()
        {
            _response.Sort();
            _closing.Sort();
            return new UnitFigures
            {
                Level = level,
                Id = id,
                Name = name,
                Parent = parent,
                Volume = _volume,
                Responded = _responded,
                SignDue = _signDue,
                SignedOnTime = _signedOnTime,
                CloseDue = _closeDue,
                ClosedOnTime = _closedOnTime,
                Closed = _closed,
                Reopened = _reopened,
                Returned = _returned,
                Feedback = _feedback,
                Fixed = _fixed,
                Satisfied = _satisfied,
                ResponseMedianMinutes = TimeDistribution.Percentile(_response, 50)?.TotalMinutes,
                ResponseP90Minutes = TimeDistribution.Percentile(_response, 90)?.TotalMinutes,
                ClosingMedianHours = TimeDistribution.Percentile(_closing, 50)?.TotalHours,
                ClosingP90Hours = TimeDistribution.Percentile(_closing, 90)?.TotalHours,
            };
        }
    }
}
