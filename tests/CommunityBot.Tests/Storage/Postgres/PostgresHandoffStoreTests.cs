using CommunityBot.Storage.Postgres;
using CommunityBot.Tests.Tickets;
using CommunityBot.Tickets;
using Npgsql;

namespace CommunityBot.Tests.Storage.Postgres;

using Handoff = CommunityBot.Tickets.Handoff;

/// <summary>
/// The take-over store contract (<see cref="HandoffStoreContractTests"/>) on <see cref="PostgresHandoffStore"/>: the class's
/// throw-away database (migrated by the fixture), emptied before each test; each write commits in a transaction of its own.
/// </summary>
[PostgresTests]
public sealed class PostgresHandoffStoreTests(PostgresDatabase database) : HandoffStoreContractTests, IClassFixture<PostgresDatabase>
{
    private NpgsqlDataSource _source = null!;
    private PostgresHandoffStore _handoffs = null!;

    public override async Task InitializeAsync()
    {
        _source = database.NewDataSource();
        _handoffs = new PostgresHandoffStore(_source);
        await using var command = _source.CreateCommand("TRUNCATE handoffs");
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task PutAsync(Handoff handoff)
    {
        await using var connection = await _source.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await _handoffs.PutAsync(handoff, transaction, CancellationToken.None);
        await transaction.CommitAsync();
    }

    protected override async Task<bool> RemoveAsync(string residentKey)
    {
        await using var connection = await _source.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var removed = await _handoffs.RemoveAsync(residentKey, transaction, CancellationToken.None);
        await transaction.CommitAsync();
        return removed;
    }

    protected override Task<Handoff?> ForResidentAsync(string residentKey) => _handoffs.ForResidentAsync(residentKey, CancellationToken.None);

    protected override Task<Handoff?> ForWorkerAsync(string workerKey) => _handoffs.ForWorkerAsync(workerKey, CancellationToken.None);

    protected override async Task<IReadOnlyList<Handoff>> ForWorkerIdAsync(string workerId) => await _handoffs.ForWorkerIdAsync(workerId, CancellationToken.None);

    protected override async Task<IReadOnlyList<Handoff>> ForTicketAsync(string ticketNumber) => await _handoffs.ForTicketAsync(ticketNumber, CancellationToken.None);

    protected override async Task<IReadOnlyList<Handoff>> AllAsync() => await _handoffs.AllAsync(CancellationToken.None);
}
