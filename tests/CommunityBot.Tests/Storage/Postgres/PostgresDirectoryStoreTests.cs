using CommunityBot.Directory;
using CommunityBot.Storage;
using CommunityBot.Storage.Postgres;
using CommunityBot.Tests.Directory;
using Npgsql;

namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>
/// The directory store contract (<see cref="DirectoryStoreContractTests"/>) on <see cref="PostgresDirectoryStore"/>: the
/// class's throw-away database, emptied before each test; each import commits in a transaction of its own.
/// </summary>
[PostgresTests]
public sealed class PostgresDirectoryStoreTests(PostgresDatabase database) : DirectoryStoreContractTests, IClassFixture<PostgresDatabase>
{
    private NpgsqlDataSource _source = null!;
    private PostgresDirectoryStore _store = null!;

    public override async Task InitializeAsync()
    {
        _source = database.NewDataSource();
        _store = new PostgresDirectoryStore(_source, new KnowledgeChanges());
        await using var command = _source.CreateCommand("TRUNCATE directory_rows");
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task ReplaceAllAsync(DirectoryData data)
    {
        await using var connection = await _source.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await _store.ReplaceAllAsync(data, transaction, CancellationToken.None);
        await transaction.CommitAsync();
    }

    protected override Task<DirectoryData> LoadAsync() => _store.LoadAsync(CancellationToken.None);

    protected override Task<bool> IsEmptyAsync() => _store.IsEmptyAsync(CancellationToken.None);
}
