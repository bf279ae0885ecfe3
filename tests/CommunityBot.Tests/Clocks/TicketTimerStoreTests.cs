using CommunityBot.Clocks;
using CommunityBot.Storage;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommunityBot.Tests.Clocks;

/// <summary>
/// The ticket timer store contract (<see cref="TicketTimerStoreContractTests"/>) on LiteDB's <see cref="TicketTimerStore"/>:
/// an in-memory LiteDB per test, each write in a <see cref="LiteDbWriter"/> write as the ticket desk's are.
/// </summary>
public sealed class TicketTimerStoreTests : TicketTimerStoreContractTests
{
    private readonly LiteDatabase _database = new(new MemoryStream());
    private readonly LiteDbWriter _writer;
    private readonly TicketTimerStore _timers;

    public TicketTimerStoreTests()
    {
        _writer = new LiteDbWriter(_database, NullLogger<LiteDbWriter>.Instance);
        _timers = new TicketTimerStore(_database);
    }

    public override Task DisposeAsync()
    {
        _writer.Dispose();
        _database.Dispose();
        return Task.CompletedTask;
    }

    protected override Task PutAsync(TicketTimer timer) => _writer.WriteAsync(_ => _timers.Put(timer));

    protected override Task<TicketTimer?> FindAsync(string ticketNumber) => Task.FromResult(_timers.Find(ticketNumber));

    protected override Task DeleteAsync(string ticketNumber) => _writer.WriteAsync(_ => _timers.Delete(ticketNumber));

    protected override Task<IReadOnlyList<string>> DueByAsync(DateTime utc) => Task.FromResult(_timers.DueBy(utc));
}
