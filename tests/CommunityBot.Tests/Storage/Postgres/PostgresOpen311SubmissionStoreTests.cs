using CommunityBot.Open311;
using CommunityBot.Storage.Postgres;
using CommunityBot.Tests.Open311;
using Npgsql;

namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>
/// The Open311 extras contract (<see cref="Open311SubmissionStoreContractTests"/>) on <see cref="PostgresOpen311SubmissionStore"/>:
/// the class's throw-away database, emptied before each test; each insert commits in a transaction of its own.
/// </summary>
[PostgresTests]
public sealed class PostgresOpen311SubmissionStoreTests(PostgresDatabase database) : Open311SubmissionStoreContractTests, IClassFixture<PostgresDatabase>
{
    private NpgsqlDataSource _source = null!;
    private PostgresOpen311SubmissionStore _submissions = null!;

    public override async Task InitializeAsync()
    {
        _source = database.NewDataSource();
        _submissions = new PostgresOpen311SubmissionStore(_source);
        await using var command = _source.CreateCommand("TRUNCATE open311_submissions");
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task InsertAsync(Open311Submission submission)
    {
        await using var connection = await _source.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await _submissions.InsertAsync(submission, transaction, CancellationToken.None);
        await transaction.CommitAsync();
    }

    protected override Task<Open311Submission?> FindAsync(string ticketNumber) => _submissions.FindAsync(ticketNumber, CancellationToken.None);

    [PostgresFact]
    public async Task Insert_TwoInstancesAtOnce_TheFirstCommittedIsKept()
    {
        var secondSource = database.NewDataSource();
        var other = new PostgresOpen311SubmissionStore(secondSource);
        await using var first = await _source.OpenConnectionAsync();
        await using var firstTransaction = await first.BeginTransactionAsync();
        Assert.True(await _submissions.InsertAsync(new Open311Submission { TicketNumber = "WT20261204-0001", Email = "a@example.org" }, firstTransaction, CancellationToken.None));

        await using var second = await secondSource.OpenConnectionAsync();
        await using var secondTransaction = await second.BeginTransactionAsync();
        var inserting = other.InsertAsync(new Open311Submission { TicketNumber = "WT20261204-0001", Email = "b@example.org" }, secondTransaction, CancellationToken.None);
        await PostgresBlocking.WaitUntilBlockedAsync(_source, second.ProcessID, first.ProcessID, inserting, CancellationToken.None);
        await firstTransaction.CommitAsync();

        Assert.False(await inserting);
        await secondTransaction.CommitAsync();
        Assert.Equal("a@example.org", (await other.FindAsync("WT20261204-0001", CancellationToken.None))?.Email);
    }
}
