using CommunityBot.Storage;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommunityBot.Clocks;

/// <summary>The <c>ticket_timers</c> collection. Writes happen inside the caller's <see cref="LiteDbWriter"/> work.</summary>
public sealed class TicketTimerStore
{
    private readonly ILiteCollection<TicketTimer> _timers;

    public TicketTimerStore(ILiteDatabase database, ILogger<TicketTimerStore>? logger = null)
    {
        _timers = LiteDbCollections.Open<TicketTimer>(database, "ticket_timers");
        LiteDbIndexes.Ensure(database, _timers, logger ?? NullLogger<TicketTimerStore>.Instance, ("NextAt", "$.NextAt"));
    }

    public TicketTimer? Find(string ticketNumber) => _timers.FindById(ticketNumber);

    /// <summary>Numbers of the tickets whose timers are due at <paramref name="utc"/> (an index range scan).</summary>
    public IReadOnlyList<string> DueBy(DateTime utc) =>
        // Between, not LTE: in BSON order null sorts below every date, and a null NextAt means "nothing pending".
        // Parameters, not Query.Between: LiteDB 5.0 writes Query's values into the expression's text, so every new time
        // would be parsed and compiled again (milliseconds each) and kept in LiteDB's expression cache for good.
        _timers.Find(BsonExpression.Create("$.NextAt BETWEEN @0 AND @1", DateTime.MinValue, utc)).Select(t => t.TicketNumber).ToList();

    public void Put(TicketTimer timer) => _timers.Upsert(timer);

    public void Delete(string ticketNumber) => _timers.Delete(ticketNumber);

    public int Count() => _timers.Count();
}
