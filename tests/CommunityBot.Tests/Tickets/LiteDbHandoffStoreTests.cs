using CommunityBot.Storage;
using CommunityBot.Tickets;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommunityBot.Tests.Tickets;

using Handoff = CommunityBot.Tickets.Handoff;

/// <summary>The take-over store contract (<see cref="HandoffStoreContractTests"/>) on LiteDB's <see cref="HandoffStore"/>, read from its snapshot.</summary>
public sealed class LiteDbHandoffStoreTests : HandoffStoreContractTests
{
    private readonly LiteDatabase _database = new(new MemoryStream());
    private readonly LiteDbWriter _writer;
    private readonly HandoffStore _handoffs;

    public LiteDbHandoffStoreTests()
    {
        _writer = new LiteDbWriter(_database, NullLogger<LiteDbWriter>.Instance);
        _handoffs = new HandoffStore(_database, _writer);
    }

    public override Task DisposeAsync()
    {
        _writer.Dispose();
        _database.Dispose();
        return Task.CompletedTask;
    }

    protected override Task PutAsync(Handoff handoff) => _writer.WriteAsync(_ => _handoffs.Put(handoff));

    protected override Task<bool> RemoveAsync(string residentKey) => _writer.WriteAsync(_ => _handoffs.Remove(residentKey));

    protected override Task<Handoff?> ForResidentAsync(string residentKey) => Task.FromResult(_handoffs.ForResident(residentKey));

    protected override Task<Handoff?> ForWorkerAsync(string workerKey) => Task.FromResult(_handoffs.ForWorker(workerKey));

    protected override Task<IReadOnlyList<Handoff>> ForWorkerIdAsync(string workerId) => Task.FromResult(_handoffs.ForWorkerId(workerId));

    protected override Task<IReadOnlyList<Handoff>> ForTicketAsync(string ticketNumber) => Task.FromResult(_handoffs.ForTicket(ticketNumber));

    protected override Task<IReadOnlyList<Handoff>> AllAsync() => Task.FromResult(_handoffs.All());
}
