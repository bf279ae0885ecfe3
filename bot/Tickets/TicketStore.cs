using CommunityBot.Storage;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommunityBot.Tickets;

/// <summary>Tickets in LiteDB, with the indexes the worker queue, "我的工单" and duplicate checks use.</summary>
public sealed class TicketStore
{
    // The worker queue and "我的工单" read a page of tickets in index order, so a query loads only the tickets it
    // returns, however many a worker or resident has (measured at 1,000,000 tickets: eval/README.md). The keys are
    // "owner|time" strings: LiteDB 5 indexes one value per key, and a range over the owner's prefix comes back
    // sorted by the time. Times are UTC in round-trip format, so their text order is their time order.
    private const string QueueIndex = "Queue";
    private const string ReportedByIndex = "ReportedBy";
    private const string LevelNowIndex = "LevelNow";
    private const string StatusTimeIndex = "StatusTime";
    private const string CategoryTimeIndex = "CategoryTime";
    private const string CoHandlersIndex = "CoHandlers";
    private const string SubmittedAtIndex = "at";

    /// <summary>
    /// The key of an open ticket (待签收/处理中/重办) in its assignee's queue: assignee and the deadline that counts
    /// now (signing while pending, closing afterwards); null for every other status.
    /// </summary>
    private const string QueueKey =
        "IIF($.Status = 'Pending' OR $.Status = 'InProgress' OR $.Status = 'Reopened', " +
        "$.AssigneeId + '|' + IIF($.Status = 'Pending', FORMAT(TO_UTC($.SignBy), 'o'), FORMAT(TO_UTC($.CloseBy), 'o')), null)";

    /// <summary>One key per reporter and supporter: "channel|user|created".</summary>
    private const string ReportedByKey = "MAP($.ReporterKeys[*] => @ + '|' + FORMAT(TO_UTC($.CreatedAt), 'o'))";

    /// <summary>The console list by status: "status|created".</summary>
    private const string StatusTimeKey = "$.Status + '|' + FORMAT(TO_UTC($.CreatedAt), 'o')";

    /// <summary>The console list by category: "category|created".</summary>
    private const string CategoryTimeKey = "$.Category + '|' + FORMAT(TO_UTC($.CreatedAt), 'o')";

    /// <summary>
    /// The console list by where the ticket sits now (<see cref="Ticket.CurrentLevel"/>: the higher of the handler's
    /// level and the rung the escalation ladder reached), then "|created". Enums are stored by name, so "the higher"
    /// is spelled out from the top of the ladder down: IIF(level or rung is District, 'District', IIF(… Street …)).
    /// </summary>
    private static readonly string LevelNowKey = LevelNowExpression() + " + '|' + FORMAT(TO_UTC($.CreatedAt), 'o')";

    // Above every round-trip time ("2026-…") of the prefix, whatever the collation: digits sort in order in all of them.
    private const string AfterAnyTime = "9999";

    private readonly ILiteCollection<Ticket> _tickets;
    private readonly ILiteCollection<BsonDocument> _counters;
    private readonly ILiteCollection<BsonDocument> _submissions;
    private readonly LiteDbWriter _writer;
    private readonly Metrics.BotMetrics? _metrics;

    public TicketStore(ILiteDatabase database, LiteDbWriter writer, ILogger<TicketStore>? logger = null, Metrics.BotMetrics? metrics = null)
    {
        _metrics = metrics;
        _writer = writer;
        _tickets = LiteDbCollections.Open<Ticket>(database, "tickets");
        LiteDbIndexes.Ensure(database, _tickets, logger ?? NullLogger<TicketStore>.Instance,
            ("Status", "$.Status"),
            ("AssigneeId", "$.AssigneeId"),
            (QueueIndex, QueueKey),
            (ReportedByIndex, ReportedByKey),
            ("CreatedAt", "$.CreatedAt"),
            ("GridId", "$.GridId"),
            ("Category", "$.Category"),
            (LevelNowIndex, LevelNowKey),
            (StatusTimeIndex, StatusTimeKey),
            (CategoryTimeIndex, CategoryTimeKey),
            (CoHandlersIndex, "$.CoHandlers[*]"));
        _counters = LiteDbCollections.Open(database, "counters");
        _submissions = LiteDbCollections.Open(database, "ticket_submissions");
        LiteDbIndexes.Ensure(database, _submissions, logger ?? NullLogger<TicketStore>.Instance, (SubmittedAtIndex, "$.at"));
    }

    /// <summary>The ticket a submission (the channel's id of the message that said 提交) opened, if it did.</summary>
    public string? TicketOfSubmission(string submissionKey) => _submissions.FindById(StorageKeys.Bound(submissionKey))?["ticket"].AsString;

    /// <summary>
    /// Forgets submissions recorded before <paramref name="cutoffUtc"/> (channels redeliver within minutes, so older ones
    /// never match again), in one delete that reads the expired rows through the time index. Rows written before the
    /// time was recorded have none and count as expired. Returns how many were removed.
    /// </summary>
    public int DeleteSubmissionsBefore(DateTime cutoffUtc) =>
        _submissions.DeleteMany("$.at < @0", new BsonValue(DateTime.SpecifyKind(cutoffUtc, DateTimeKind.Utc)));

    public Ticket? Find(string number) => _tickets.FindById(number);

    public IReadOnlyList<Ticket> All() => _tickets.FindAll().ToList();

    /// <summary>Tickets reported or joined by this resident ("channel|userId"), newest first.</summary>
    public IReadOnlyList<Ticket> ReportedBy(string reporterKey, int limit = 20) =>
        InIndexOrder(ReportedByKey + " ANY", ReportedByKey, reporterKey + "|", descending: true)
            .Where(t => t.ReporterKeys.Contains(reporterKey, StringComparer.Ordinal))
            .Take(limit)
            .ToList();

    /// <summary>
    /// The worker's open tickets (待签收, 处理中, 重办) assigned to them, the most urgent first: by the signing deadline
    /// while pending, by the closing deadline once signed or reopened.
    /// </summary>
    public IReadOnlyList<Ticket> QueueOf(string workerId, int limit = 50) =>
        InIndexOrder(QueueKey, QueueKey, workerId + "|", descending: false)
            .Where(t => string.Equals(t.AssigneeId, workerId, StringComparison.Ordinal))
            .Take(limit)
            .ToList();

    /// <summary>Tickets created from <paramref name="fromUtc"/> to <paramref name="toUtc"/> inclusive, newest first, read lazily (Open311's list).</summary>
    public IEnumerable<Ticket> CreatedBetween(DateTime fromUtc, DateTime toUtc) =>
        _tickets.Query().Where(t => t.CreatedAt >= fromUtc && t.CreatedAt <= toUtc).OrderByDescending(t => t.CreatedAt).ToEnumerable();

    /// <summary>
    /// The admin console's list: tickets matching <paramref name="filter"/>, newest first, at most <c>Limit</c> after
    /// passing over <c>Skip</c>.
    /// </summary>
    public IReadOnlyList<Ticket> Search(TicketFilter filter)
    {
        if (filter is { GridIds.Count: 0, HandlerIds: { Count: > 0 } handlers })
        {
            return SearchByHandlers(filter, handlers);
        }

        // A level, status or category filter reads its "value|created" index newest first (bounded by the date range)
        // and stops once a page is full, instead of sorting every match in memory; the other filters are checked on the
        // tickets read. The order of preference is by how few tickets a value usually has.
        var (key, value) = filter switch
        {
            { Level: { } level } => (LevelNowKey, level.ToString()),
            { Status: { } status } => (StatusTimeKey, status.ToString()),
            { Category: { Length: > 0 } category } => (CategoryTimeKey, category),
            _ => (null, null),
        };
        if (key is null || value is null)
        {
            return SearchByQuery(filter);
        }

        var from = filter.CreatedFromUtc is { } start ? RoundTrip(start) : "";
        var to = filter.CreatedBeforeUtc is { } before ? RoundTrip(before) : AfterAnyTime;
        return _tickets.Query()
            .Where(key + " BETWEEN @0 AND @1", new BsonValue(value + "|" + from), new BsonValue(value + "|" + to))
            .OrderBy(key, Query.Descending)
            .ToEnumerable()
            .Where(t => Matches(t, filter))
            .Skip(filter.Skip)
            .Take(filter.Limit)
            .ToList();
    }

    /// <summary>
    /// A worker's view (their own tickets, no grid): read what they are assigned and co-handle through the two indexes,
    /// one person's caseload rather than the collection, and sort that.
    /// </summary>
    private List<Ticket> SearchByHandlers(TicketFilter filter, IReadOnlyCollection<string> handlers)
    {
        var ids = new BsonArray(handlers.Select(h => new BsonValue(h)));
        var assigned = _tickets.Query().Where("$.AssigneeId IN @0", ids).ToEnumerable();
        var coHandled = _tickets.Query().Where("$.CoHandlers[*] ANY IN @0", ids).ToEnumerable();
        return assigned.Concat(coHandled)
            .DistinctBy(t => t.Number)
            .Where(t => Matches(t, filter))
            .OrderByDescending(t => t.CreatedAt)
            .Skip(filter.Skip)
            .Take(filter.Limit)
            .ToList();
    }

    /// <summary>
    /// Search without a level, status or category: LiteDB serves one predicate from an index (grid or the creation-time
    /// range, or the creation-time order) and checks the others on the documents it reads.
    /// </summary>
    private List<Ticket> SearchByQuery(TicketFilter filter)
    {
        var query = _tickets.Query();
        if (filter.GridId is { Length: > 0 } grid)
        {
            query = query.Where("$.GridId = @0", new BsonValue(grid));
        }
        if (filter.CreatedFromUtc is { } from)
        {
            query = query.Where("$.CreatedAt >= @0", new BsonValue(from));
        }
        if (filter.CreatedBeforeUtc is { } before)
        {
            query = query.Where("$.CreatedAt < @0", new BsonValue(before));
        }
        if (filter.GridIds is not null || filter.HandlerIds is not null)
        {
            var grids = new BsonArray((filter.GridIds ?? []).Select(g => new BsonValue(g)));
            var handlers = new BsonArray((filter.HandlerIds ?? []).Select(h => new BsonValue(h)));
            query = query.Where("($.GridId IN @0 OR $.AssigneeId IN @1 OR $.CoHandlers[*] ANY IN @1)", grids, handlers);
        }
        return query.OrderByDescending(t => t.CreatedAt).Offset(filter.Skip).Limit(filter.Limit).ToList();
    }

    /// <summary>Whether a ticket read from an index passes every filter (the index range only narrows the reading).</summary>
    private static bool Matches(Ticket ticket, TicketFilter filter) =>
        (filter.Status is not { } status || ticket.Status == status)
        && (filter.Category is not { Length: > 0 } category || ticket.Category == category)
        && (filter.GridId is not { Length: > 0 } grid || ticket.GridId == grid)
        && (filter.Level is not { } level || ticket.CurrentLevel == level)
        && (filter.CreatedFromUtc is not { } from || ticket.CreatedAt.ToUniversalTime() >= from)
        && (filter.CreatedBeforeUtc is not { } before || ticket.CreatedAt.ToUniversalTime() < before)
        && ((filter.GridIds is null && filter.HandlerIds is null)
            || (ticket.GridId is { } g && (filter.GridIds?.Contains(g) ?? false))
            || (filter.HandlerIds is { } handlers && (handlers.Contains(ticket.AssigneeId) || ticket.CoHandlers.Any(handlers.Contains))));

    private static string RoundTrip(DateTime utc) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("o", System.Globalization.CultureInfo.InvariantCulture);

    private static string LevelNowExpression()
    {
        var expression = $"'{TicketLevel.Grid}'";
        foreach (var level in Enum.GetValues<TicketLevel>().Where(l => l > TicketLevel.Grid))
        {
            expression = $"IIF($.Level = '{level}' OR $.EscalatedTo = '{level}', '{level}', {expression})";
        }

        return expression;
    }

    /// <summary>Open tickets created since <paramref name="since"/> (UTC), newest first: the candidates a new report may join.</summary>
    public IReadOnlyList<Ticket> OpenSince(DateTime since) =>
        // A parameter, not Query.GTE, which writes the time into the expression's text (see TicketTimerStore.DueBy).
        _tickets.Find(BsonExpression.Create("$.CreatedAt >= @0", since))
            .Where(t => t.IsOpen)
            .OrderByDescending(t => t.CreatedAt)
            .ToList();

    // LiteDB compares keys with the database's collation (culture-aware, case-insensitive by default), so a range can
    // hold keys that only look like the prefix (another case or accent): callers check ownership exactly, and read
    // lazily so that only as many tickets as they take are loaded.
    // A multi-key expression (one key per reporter) is compared with "ANY", hence the separate left side.
    private IEnumerable<Ticket> InIndexOrder(string left, string key, string prefix, bool descending) =>
        _tickets.Query()
            .Where(left + " BETWEEN @0 AND @1", new BsonValue(prefix), new BsonValue(prefix + AfterAnyTime))
            .OrderBy(key, descending ? Query.Descending : Query.Ascending)
            .ToEnumerable();

    /// <summary>
    /// Inserts a new ticket with the next number of its day (e.g. WT20261123-0042), in one write together with
    /// whatever <paramref name="alsoWrite"/> stores (the worker's card in the outbox), so a crash leaves both or neither.
    /// </summary>
    public Task<Ticket> CreateAsync(Ticket ticket, DateTimeOffset localNow, Action<Ticket>? alsoWrite = null) => _writer.WriteAsync(_ =>
    {
        var created = CreateInWrite(ticket, localNow);
        alsoWrite?.Invoke(created);
        return created;
    });

    /// <summary><see cref="CreateAsync"/> inside the caller's write (on the writer thread).</summary>
    public Ticket CreateInWrite(Ticket ticket, DateTimeOffset localNow)
    {
        var day = localNow.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        var counterId = "WT" + day;
        var counter = _counters.FindById(counterId);
        var next = (counter?["value"].AsInt32 ?? 0) + 1;
        _counters.Upsert(new BsonDocument { ["_id"] = counterId, ["value"] = next });
        ticket.Number = $"WT{day}-{next:0000}";
        _tickets.Insert(ticket);
        if (_metrics is { } metrics)
        {
            _writer.AfterCommit(() => metrics.Ticket(Metrics.TicketMetric.Opened));
        }

        if (ticket.SubmissionKey is { } submission)
        {
            _submissions.Upsert(new BsonDocument { ["_id"] = StorageKeys.Bound(submission), ["ticket"] = ticket.Number, ["at"] = ticket.CreatedAt });
        }

        return ticket;
    }

    /// <summary>
    /// Re-reads the ticket, applies <paramref name="change"/> and stores it, all on the writer thread and in one write
    /// with <paramref name="alsoWrite"/> (run only when the change was made).
    /// </summary>
    public Task<Ticket?> UpdateAsync(string number, Func<Ticket, bool> change, Action<Ticket>? alsoWrite = null) => _writer.WriteAsync(_ =>
    {
        var ticket = UpdateInWrite(number, change);
        if (ticket is not null)
        {
            alsoWrite?.Invoke(ticket);
        }

        return ticket;
    });

    /// <summary><see cref="UpdateAsync"/> inside the caller's write (on the writer thread); null when not changed.</summary>
    public Ticket? UpdateInWrite(string number, Func<Ticket, bool> change)
    {
        var ticket = _tickets.FindById(number);
        var eventsBefore = ticket?.Events.Count ?? 0;
        if (ticket is null || !change(ticket))
        {
            return null;
        }

        _tickets.Update(ticket);
        CountEvents(ticket.Events.Skip(eventsBefore));
        return ticket;
    }

    // Counted once the write commits (a rolled-back change counts nothing).
    private void CountEvents(IEnumerable<TicketEvent> added)
    {
        if (_metrics is not { } metrics)
        {
            return;
        }

        foreach (var ticketEvent in added)
        {
            var what = ticketEvent.Kind switch
            {
                TicketEventKind.Closed => Metrics.TicketMetric.Closed,
                TicketEventKind.Escalated => Metrics.TicketMetric.Escalated,
                _ => (Metrics.TicketMetric?)null,
            };
            if (what is { } counted)
            {
                _writer.AfterCommit(() => metrics.Ticket(counted));
            }
        }
    }
}
