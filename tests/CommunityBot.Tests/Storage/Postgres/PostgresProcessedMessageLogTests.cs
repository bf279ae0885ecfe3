using CommunityBot.Storage.Postgres;
using CommunityBot.Tests.Conversation;
using Npgsql;

namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>
/// The processed-message log's contract (<see cref="ProcessedMessageLogContractTests"/>) on <see cref="PostgresProcessedMessageLog"/>:
/// the class's throw-away database, emptied before each test; each record in a transaction of its own.
/// </summary>
[PostgresTests]
public sealed class PostgresProcessedMessageLogTests(PostgresDatabase database) : ProcessedMessageLogContractTests, IClassFixture<PostgresDatabase>
{
    private NpgsqlDataSource? _source;
    private PostgresProcessedMessageLog? _log;

    public override async Task InitializeAsync()
    {
        _source = database.NewDataSource();
        _log = new PostgresProcessedMessageLog(_source);
        await using var command = _source.CreateCommand("TRUNCATE processed_messages");
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task<bool> AddAsync(string key, DateTimeOffset at)
    {
        await using var connection = await _source!.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var added = await _log!.AddAsync(transaction, key, at, CancellationToken.None);
        await transaction.CommitAsync();
        return added;
    }

    protected override async Task AddInFailedCommitAsync(string key, DateTimeOffset at)
    {
        await using var connection = await _source!.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        Assert.True(await _log!.AddAsync(transaction, key, at, CancellationToken.None));
        await transaction.RollbackAsync();
    }

    protected override Task<bool> ContainsAsync(string key) => _log!.ContainsAsync(key, CancellationToken.None);

    protected override Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff) => _log!.DeleteOlderThanAsync(cutoff, CancellationToken.None);
}
