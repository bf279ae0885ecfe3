using System.Diagnostics;
using System.Globalization;
using CommunityBot.Directory;
using CommunityBot.Tickets;
using Microsoft.Extensions.Options;

namespace CommunityBot.Oversight;

/// <summary>
/// The assessment figures and rankings of a period (DESIGN.md journey 9; definitions in README.md): one pass over the
/// period's tickets as <see cref="IAssessmentTickets"/> streams them (on LiteDB, raw documents through the CreatedAt index).
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

    private readonly IAssessmentTickets _tickets;
    private readonly GridDirectory _directory;
    private readonly AssessmentOptions _options;
    private readonly TimeZoneInfo _zone;
    private readonly TimeProvider _time;
    private readonly ILogger<AssessmentService> _logger;

    public AssessmentService(
        IAssessmentTickets tickets, GridDirectory directory, IOptions<AssessmentOptions> options, IOptions<DirectoryOptions> directoryOptions,
        TimeProvider time, ILogger<AssessmentService> logger)
    {
        _tickets = tickets;
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
    public async Task<AssessmentResult> ComputeMonthAsync(int year, int month, AssessmentLevel level = AssessmentLevel.Grid, CancellationToken cancellationToken = default)
    {
        var (from, to) = MonthBounds(year, month, _zone);
        return await ComputeAsync(from, to, level, cancellationToken).ConfigureAwait(false) with { Title = $"{year:0000}-{month:00}" };
    }

    /// <summary>
    /// The month's figures for the whole street and, when <paramref name="communityId"/> is given, the same computation
    /// on that community's tickets only (tickets of its grids): its own volumes, distributions and charts. One read.
    /// </summary>
    public async Task<(AssessmentResult Street, AssessmentResult? Community)> ComputeMonthAsync(
        int year, int month, string? communityId, CancellationToken cancellationToken = default)
    {
        var (from, to) = MonthBounds(year, month, _zone);
        var title = $"{year:0000}-{month:00}";
        var asOf = _time.GetUtcNow().UtcDateTime;
        var directory = _directory.Current;
        var street = new Pass(from, to, asOf, directory, _zone);
        var own = communityId is null ? null : new Pass(from, to, asOf, directory, _zone);
        await foreach (var ticket in _tickets.CreatedBetweenAsync(from, to, cancellationToken).ConfigureAwait(false))
        {
            street.Add(ticket);
            if (own is not null && ticket.GridId is { } grid && directory.Grids.TryGetValue(grid, out var known) && known.Community == communityId)
            {
                own.Add(ticket);
            }
        }

        var community = own is null ? null : own.Result(AssessmentLevel.Grid, _options) with { Title = title };
        return (street.Result(AssessmentLevel.Grid, _options) with { Title = title }, community);
    }

    /// <summary>
    /// The figures of tickets created from <paramref name="fromUtc"/> (inclusive) to <paramref name="toUtc"/> (exclusive),
    /// with units down to <paramref name="level"/> (Grid: street, communities and grids).
    /// </summary>
    public async Task<AssessmentResult> ComputeAsync(
        DateTime fromUtc, DateTime toUtc, AssessmentLevel level = AssessmentLevel.Grid, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var pass = new Pass(fromUtc, toUtc, _time.GetUtcNow().UtcDateTime, _directory.Current, _zone);
        await foreach (var ticket in _tickets.CreatedBetweenAsync(fromUtc, toUtc, cancellationToken).ConfigureAwait(false))
        {
            pass.Add(ticket);
        }

        var result = pass.Result(level, _options);
        LogComputed(result.Street.Volume, result.Title, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return result;
    }

    /// <summary>The pure computation: everything else only reads.</summary>
    public static AssessmentResult Compute(
        IEnumerable<AssessedTicket> tickets, DateTime fromUtc, DateTime toUtc, DateTime asOfUtc, AssessmentLevel level,
        DirectorySnapshot directory, TimeZoneInfo zone, AssessmentOptions options)
    {
        var pass = new Pass(fromUtc, toUtc, asOfUtc, directory, zone);
        foreach (var ticket in tickets)
        {
            pass.Add(ticket);
        }

        return pass.Result(level, options);
    }

    private static string CommunityName(DirectorySnapshot directory, string communityId) =>
        directory.Communities.TryGetValue(communityId, out var c) ? c.Name : communityId;

    [LoggerMessage(Level = LogLevel.Information, Message = "Assessment of {Volume} tickets ({Title}) computed in {Milliseconds:F0} ms")]
    private partial void LogComputed(int volume, string title, double milliseconds);

    /// <summary>One pass over a period's tickets: every unit's running counts, then the figures and rankings.</summary>
    private sealed class Pass
    {
        private readonly DateTime _fromUtc, _toUtc, _asOfUtc;
        private readonly DirectorySnapshot _directory;
        private readonly TimeZoneInfo _zone;
        private readonly string _streetName;
        private readonly Accumulator _street;
        private readonly Dictionary<string, Accumulator> _communities = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Accumulator> _grids = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Accumulator> _workers = new(StringComparer.Ordinal);
        private readonly Dictionary<DateOnly, int> _byDay = [];
        private readonly Dictionary<string, int> _byCategory = new(StringComparer.Ordinal);
        private readonly List<TimeSpan> _responseTimes = [];
        private readonly List<TimeSpan> _closingTimes = [];

        public Pass(DateTime fromUtc, DateTime toUtc, DateTime asOfUtc, DirectorySnapshot directory, TimeZoneInfo zone)
        {
            (_fromUtc, _toUtc, _asOfUtc, _directory, _zone) = (fromUtc, toUtc, asOfUtc, directory, zone);
            _streetName = directory.Data.StreetOffice.Name is { Length: > 0 } s ? s : "街道";
            _street = new Accumulator(AssessmentLevel.Street, "street", _streetName, "");

            // Every grid and community of the directory gets a row, with or without tickets: a quiet grid is news too.
            foreach (var community in directory.Data.Communities)
            {
                _communities[community.Id] = new Accumulator(AssessmentLevel.Community, community.Id, community.Name, _streetName);
            }

            foreach (var grid in directory.Data.Grids)
            {
                _grids[grid.Id] = new Accumulator(AssessmentLevel.Grid, grid.Id, grid.Name, CommunityName(directory, grid.Community));
            }
        }

        public void Add(AssessedTicket ticket)
        {
            // The store is queried by these bounds already; checking again keeps the pure method honest for any input.
            if (ticket.CreatedAt < _fromUtc || ticket.CreatedAt >= _toUtc)
            {
                return;
            }

            var gridId = ticket.GridId ?? "";
            if (!_grids.TryGetValue(gridId, out var grid))
            {
                grid = _grids[gridId] = new Accumulator(AssessmentLevel.Grid, gridId, gridId.Length == 0 ? "未分网格" : gridId, "未知社区");
            }

            var communityId = _directory.Grids.TryGetValue(gridId, out var known) ? known.Community : "";
            if (!_communities.TryGetValue(communityId, out var community))
            {
                community = _communities[communityId] = new Accumulator(AssessmentLevel.Community, communityId, communityId.Length == 0 ? "未知社区" : communityId, _streetName);
            }

            if (!_workers.TryGetValue(ticket.AssigneeId, out var worker))
            {
                var name = _directory.Workers.TryGetValue(ticket.AssigneeId, out var w) ? w.Name : ticket.AssigneeName;
                var parent = w?.Community is { } c ? CommunityName(_directory, c) : "";
                worker = _workers[ticket.AssigneeId] = new Accumulator(AssessmentLevel.Worker, ticket.AssigneeId, name, parent);
            }

            var response = ticket.FirstResponse - ticket.CreatedAt;
            var closing = ticket.IsDone ? ticket.LastClosed - ticket.CreatedAt : null;
            _street.Add(ticket, _asOfUtc, response, closing);
            community.Add(ticket, _asOfUtc, response, closing);
            grid.Add(ticket, _asOfUtc, response, closing);
            worker.Add(ticket, _asOfUtc, response, closing);
            if (response is { } r)
            {
                _responseTimes.Add(r);
            }

            if (closing is { } d)
            {
                _closingTimes.Add(d);
            }

            var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(ticket.CreatedAt, _zone));
            _byDay[day] = _byDay.GetValueOrDefault(day) + 1;
            _byCategory[ticket.Category] = _byCategory.GetValueOrDefault(ticket.Category) + 1;
        }

        /// <summary>The figures of the tickets added, with units down to <paramref name="level"/>.</summary>
        public AssessmentResult Result(AssessmentLevel level, AssessmentOptions options)
        {
            var units = new List<UnitFigures> { _street.Figures() };
            if (level is AssessmentLevel.Community or AssessmentLevel.Grid or AssessmentLevel.Worker)
            {
                units.AddRange(_communities.Values.Select(a => a.Figures()).OrderBy(u => u.Id, StringComparer.Ordinal));
            }

            var gridFigures = _grids.Values.Select(a => a.Figures()).OrderBy(u => u.Id, StringComparer.Ordinal).ToList();
            if (level is AssessmentLevel.Grid or AssessmentLevel.Worker)
            {
                units.AddRange(gridFigures);
            }

            var workerFigures = _workers.Values.Select(a => a.Figures()).OrderBy(u => u.Id, StringComparer.Ordinal).ToList();
            var firstDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(_fromUtc, _zone));
            var lastDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(_toUtc.AddTicks(-1), _zone));
            var days = new List<(DateOnly, int)>();
            for (var day = firstDay; day <= lastDay && _toUtc > _fromUtc; day = day.AddDays(1))
            {
                days.Add((day, _byDay.GetValueOrDefault(day)));
            }

            return new AssessmentResult
            {
                Title = $"{firstDay:yyyy-MM-dd} – {lastDay:yyyy-MM-dd}",
                FromUtc = _fromUtc,
                ToUtc = _toUtc,
                AsOfUtc = _asOfUtc,
                Units = units,
                Workers = workerFigures,
                ResponseTimes = TimeDistribution.Of(_responseTimes, ResponseBuckets, ">24小时"),
                ClosingTimes = TimeDistribution.Of(_closingTimes, ClosingBuckets, ">15天"),
                ByDay = days,
                ByCategory = _byCategory.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value)).ToList(),
                GridRanking = Ranking.Of(gridFigures, options),
                WorkerRanking = Ranking.Of(workerFigures, options),
            };
        }
    }

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
