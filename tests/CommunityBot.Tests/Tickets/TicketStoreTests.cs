using CommunityBot.Storage;
using CommunityBot.Tickets;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommunityBot.Tests.Tickets;

/// <summary>The ticket store contract (<see cref="TicketStoreContractTests"/>) on LiteDB's <see cref="TicketStore"/>, an in-memory LiteDB per test.</summary>
public sealed class TicketStoreTests : TicketStoreContractTests
{
    private readonly LiteDatabase _database = new(new MemoryStream());
    private readonly LiteDbWriter _writer;
    private readonly TicketStore _store;

    public TicketStoreTests()
    {
        _writer = new LiteDbWriter(_database, NullLogger<LiteDbWriter>.Instance);
        _store = new TicketStore(_database, _writer);
    }

    public override Task DisposeAsync()
    {
        _writer.Dispose();
        _database.Dispose();
        return Task.CompletedTask;
    }

    protected override Task<Ticket> CreateAsync(Ticket ticket, DateTimeOffset localNow, Action<Ticket>? alsoWrite = null) =>
        _store.CreateAsync(ticket, localNow, alsoWrite);

    protected override Task<Ticket?> UpdateAsync(string number, Func<Ticket, bool> change, Action<Ticket>? alsoWrite = null) =>
        _store.UpdateAsync(number, change, alsoWrite);

    protected override Task<Ticket?> FindAsync(string number) => Task.FromResult(_store.Find(number));

    protected override Task<IReadOnlyList<Ticket>> AllAsync() => Task.FromResult(_store.All());

    protected override Task<IReadOnlyList<Ticket>> ReportedByAsync(string reporterKey, int limit = 20) =>
        Task.FromResult(_store.ReportedBy(reporterKey, limit));

    protected override Task<IReadOnlyList<Ticket>> QueueOfAsync(string workerId, int limit = 50) => Task.FromResult(_store.QueueOf(workerId, limit));

    protected override Task<IReadOnlyList<Ticket>> CreatedBetweenAsync(DateTime fromUtc, DateTime toUtc, int take = int.MaxValue) =>
        Task.FromResult<IReadOnlyList<Ticket>>(_store.CreatedBetween(fromUtc, toUtc).Take(take).ToList());

    protected override Task<IReadOnlyList<Ticket>> SearchAsync(TicketFilter filter) => Task.FromResult(_store.Search(filter));

    protected override Task<IReadOnlyList<Ticket>> OpenSinceAsync(DateTime since) => Task.FromResult(_store.OpenSince(since));

    protected override Task<string?> TicketOfSubmissionAsync(string submissionKey) => Task.FromResult(_store.TicketOfSubmission(submissionKey));

    protected override Task<int> DeleteSubmissionsBeforeAsync(DateTime cutoffUtc) => Task.FromResult(_store.DeleteSubmissionsBefore(cutoffUtc));
}
