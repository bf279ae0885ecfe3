using CommunityBot.Storage;
using LiteDB;

namespace CommunityBot.Tickets;

/// <summary>Tickets in LiteDB, with the indexes the worker queue, "我的工单" and duplicate checks use.</summary>
public sealed class TicketStore
{
    private readonly ILiteCollection<Ticket> _tickets;
    private readonly ILiteCollection<BsonDocument> _counters;
    private readonly LiteDbWriter _writer;

    public TicketStore(ILiteDatabase database, LiteDbWriter writer)
    {
        _writer = writer;
        _tickets = LiteDbCollections.Open<Ticket>(database, "tickets");
        _tickets.EnsureIndex(t => t.Status);
        _tickets.EnsureIndex(t => t.AssigneeId);
        _tickets.EnsureIndex(t => t.DuplicateKey);
        _tickets.EnsureIndex(t => t.CreatedAt);
        _tickets.EnsureIndex("ReporterKeys", "$.ReporterKeys[*]");
        _counters = LiteDbCollections.Open(database, "counters");
    }

    public Ticket? Find(string number) => _tickets.FindById(number);

    public IReadOnlyList<Ticket> All() => _tickets.FindAll().ToList();

    /// <summary>Tickets reported or joined by this resident, newest first.</summary>
    public IReadOnlyList<Ticket> ReportedBy(string reporterKey, int limit = 20) =>
        _tickets.Find(BsonExpression.Create("$.ReporterKeys[*] ANY = @0", new BsonValue(reporterKey))).OrderByDescending(t => t.CreatedAt).Take(limit).ToList();

    /// <summary>Tickets created from <paramref name="fromUtc"/> to <paramref name="toUtc"/> inclusive, newest first, read lazily (Open311's list).</summary>
    public IEnumerable<Ticket> CreatedBetween(DateTime fromUtc, DateTime toUtc) =>
        _tickets.Query().Where(t => t.CreatedAt >= fromUtc && t.CreatedAt <= toUtc).OrderByDescending(t => t.CreatedAt).ToEnumerable();

    /// <summary>The open ticket with this duplicate key created after <paramref name="since"/>, if any.</summary>
    public Ticket? FindOpenDuplicate(string duplicateKey, DateTime since) =>
        _tickets.Find(t => t.DuplicateKey == duplicateKey)
            .Where(t => t.IsOpen && t.CreatedAt >= since)
            .OrderByDescending(t => t.CreatedAt)
            .FirstOrDefault();

    /// <summary>
    /// Inserts a new ticket with the next number of its day (e.g. WT20261123-0042), in one write together with
    /// whatever <paramref name="alsoWrite"/> stores (the worker's card in the outbox), so a crash leaves both or neither.
    /// </summary>
    public Task<Ticket> CreateAsync(Ticket ticket, DateTimeOffset localNow, Action<Ticket>? alsoWrite = null) => _writer.WriteAsync(_ =>
    {
        var day = localNow.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        var counterId = "WT" + day;
        var counter = _counters.FindById(counterId);
        var next = (counter?["value"].AsInt32 ?? 0) + 1;
        _counters.Upsert(new BsonDocument { ["_id"] = counterId, ["value"] = next });
        ticket.Number = $"WT{day}-{next:0000}";
        _tickets.Insert(ticket);
        alsoWrite?.Invoke(ticket);
        return ticket;
    });

    /// <summary>
    /// Re-reads the ticket, applies <paramref name="change"/> and stores it, all on the writer thread and in one write
    /// with <paramref name="alsoWrite"/> (run only when the change was made).
    /// </summary>
    public Task<Ticket?> UpdateAsync(string number, Func<Ticket, bool> change, Action<Ticket>? alsoWrite = null) => _writer.WriteAsync(_ =>
    {
        var ticket = _tickets.FindById(number);
        if (ticket is null || !change(ticket))
        {
            return null;
        }

        _tickets.Update(ticket);
        alsoWrite?.Invoke(ticket);
        return ticket;
    });
}
