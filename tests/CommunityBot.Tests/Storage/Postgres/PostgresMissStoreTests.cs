using CommunityBot.Dialogs.Understanding;
using CommunityBot.Storage.Postgres;
using CommunityBot.Tests.Faq;
using Npgsql;

namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>
/// The miss log contract (<see cref="MissStoreContractTests"/>) on <see cref="PostgresMissStore"/>: the class's throw-away
/// database, emptied before each test; each miss recorded in a transaction of its own.
/// </summary>
[PostgresTests]
public sealed class PostgresMissStoreTests(PostgresDatabase database) : MissStoreContractTests, IClassFixture<PostgresDatabase>
{
    private NpgsqlDataSource _source = null!;
    private PostgresMissStore _store = null!;

    public override async Task InitializeAsync()
    {
        _source = database.NewDataSource();
        _store = new PostgresMissStore(_source, MaxMisses);
        await using var command = _source.CreateCommand("TRUNCATE faq_misses");
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task RecordAsync(FaqMiss miss)
    {
        await using var connection = await _source.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await _store.RecordAsync(miss, transaction, CancellationToken.None);
        await transaction.CommitAsync();
    }

    protected override Task<IReadOnlyList<FaqMiss>> RecentAsync(int limit) => _store.RecentAsync(limit, CancellationToken.None);

    protected override Task<int> CountAsync() => _store.CountAsync(CancellationToken.None);
}
