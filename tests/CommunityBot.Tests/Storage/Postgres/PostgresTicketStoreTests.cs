using CommunityBot.Storage.Postgres;
using CommunityBot.Tests.Tickets;
using CommunityBot.Tickets;
using Npgsql;

namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>
/// The ticket store contract (<see cref="TicketStoreContractTests"/>) on <see cref="PostgresTicketStore"/>: the class's
/// throw-away database, emptied before each test; a create or update commits in a transaction of its own, with what is
/// written beside it run in that transaction before the commit.
/// </summary>
[PostgresTests]
public sealed class PostgresTicketStoreTests(PostgresDatabase database) : TicketStoreContractTests, IClassFixture<PostgresDatabase>
{
    private NpgsqlDataSource? _source;
    private PostgresTicketStore? _store;

    private PostgresTicketStore Store => _store!;

    public override async Task InitializeAsync()
    {
        _source = database.NewDataSource();
        _store = new PostgresTicketStore(_source);
        await using var command = _source.CreateCommand("TRUNCATE tickets, ticket_reporters, ticket_submissions, ticket_counters");
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task<Ticket> CreateAsync(Ticket ticket, DateTimeOffset localNow, Action<Ticket>? alsoWrite = null)
    {
        await using var connection = await _source!.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var created = await Store.CreateAsync(ticket, localNow, transaction, CancellationToken.None);
        Assert.True(created.Opened);
        alsoWrite?.Invoke(created.Ticket);
        await transaction.CommitAsync();
        return created.Ticket;
    }

    protected override async Task<Ticket?> UpdateAsync(string number, Func<Ticket, bool> change, Action<Ticket>? alsoWrite = null)
    {
        await using var connection = await _source!.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var updated = await Store.UpdateAsync(number, change, transaction, CancellationToken.None);
        if (updated is not null)
        {
            alsoWrite?.Invoke(updated);
        }

        await transaction.CommitAsync();
        return updated;
    }

    protected override Task<Ticket?> FindAsync(string number) => Store.FindAsync(number, CancellationToken.None);

    protected override Task<IReadOnlyList<Ticket>> AllAsync() => Store.AllAsync(CancellationToken.None);

    protected override Task<IReadOnlyList<Ticket>> ReportedByAsync(string reporterKey, int limit = 20) =>
        Store.ReportedByAsync(reporterKey, limit, CancellationToken.None);

    protected override Task<IReadOnlyList<Ticket>> QueueOfAsync(string workerId, int limit = 50) => Store.QueueOfAsync(workerId, limit, CancellationToken.None);

    protected override async Task<IReadOnlyList<Ticket>> CreatedBetweenAsync(DateTime fromUtc, DateTime toUtc, int take = int.MaxValue)
    {
        var tickets = new List<Ticket>();
        await foreach (var ticket in Store.CreatedBetweenAsync(fromUtc, toUtc, CancellationToken.None))
        {
            if (tickets.Count == take)
            {
                break;
            }

            tickets.Add(ticket);
        }

        return tickets;
    }

    protected override Task<IReadOnlyList<Ticket>> SearchAsync(TicketFilter filter) => Store.SearchAsync(filter, CancellationToken.None);

    protected override Task<IReadOnlyList<Ticket>> OpenSinceAsync(DateTime since) => Store.OpenSinceAsync(since, CancellationToken.None);

    protected override Task<string?> TicketOfSubmissionAsync(string submissionKey) => Store.TicketOfSubmissionAsync(submissionKey, CancellationToken.None);

    protected override Task<int> DeleteSubmissionsBeforeAsync(DateTime cutoffUtc) => Store.DeleteSubmissionsBeforeAsync(cutoffUtc, CancellationToken.None);
}
