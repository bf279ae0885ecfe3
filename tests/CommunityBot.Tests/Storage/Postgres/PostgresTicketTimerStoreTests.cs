using CommunityBot.Clocks;
using CommunityBot.Storage.Postgres;
using CommunityBot.Tests.Clocks;
using Npgsql;

namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>
/// The ticket timer store contract (<see cref="TicketTimerStoreContractTests"/>) on <see cref="PostgresTicketTimerStore"/>:
/// the class's throw-away database (migrated by the fixture), emptied before each test; each write
/// commits in a transaction of its own, a find reads in one.
/// </summary>
[PostgresTests]
public sealed class PostgresTicketTimerStoreTests(PostgresDatabase database) : TicketTimerStoreContractTests, IClassFixture<PostgresDatabase>
{
    private NpgsqlDataSource _source = null!;
    private PostgresTicketTimerStore _timers = null!;

    public override async Task InitializeAsync()
    {
        _source = database.NewDataSource();
        _timers = new PostgresTicketTimerStore(_source);
        await using var command = _source.CreateCommand("TRUNCATE ticket_timers");
        await command.ExecuteNonQueryAsync();
    }

    protected override Task PutAsync(TicketTimer timer) => InTransactionAsync(t => _timers.PutAsync(timer, t, CancellationToken.None));

    protected override async Task<TicketTimer?> FindAsync(string ticketNumber)
    {
        TicketTimer? timer = null;
        await InTransactionAsync(async t => timer = await _timers.FindAsync(ticketNumber, t, CancellationToken.None));
        return timer;
    }

    protected override Task DeleteAsync(string ticketNumber) => InTransactionAsync(t => _timers.DeleteAsync(ticketNumber, t, CancellationToken.None));

    protected override Task<IReadOnlyList<string>> DueByAsync(DateTime utc) => _timers.DueByAsync(utc, CancellationToken.None);

    private async Task InTransactionAsync(Func<NpgsqlTransaction, Task> work)
    {
        await using var connection = await _source.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await work(transaction);
        await transaction.CommitAsync();
    }
}
