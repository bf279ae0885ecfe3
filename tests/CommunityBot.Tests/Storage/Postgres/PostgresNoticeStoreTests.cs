using CommunityBot.Notices;
using CommunityBot.Storage;
using CommunityBot.Storage.Postgres;
using CommunityBot.Tests.Notices;
using Npgsql;

namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>
/// The notice store contract (<see cref="NoticeStoreContractTests"/>) on <see cref="PostgresNoticeStore"/>: the class's
/// throw-away database, emptied before each test; each write commits in a transaction of its own, after which the writer
/// marks the topic changed itself.
/// </summary>
[PostgresTests]
public sealed class PostgresNoticeStoreTests(PostgresDatabase database) : NoticeStoreContractTests, IClassFixture<PostgresDatabase>
{
    private readonly KnowledgeChanges _changes = new();
    private NpgsqlDataSource _source = null!;
    private PostgresNoticeStore _store = null!;

    public override async Task InitializeAsync()
    {
        _source = database.NewDataSource();
        _store = new PostgresNoticeStore(_source, _changes);
        await using var command = _source.CreateCommand("TRUNCATE notices");
        await command.ExecuteNonQueryAsync();
    }

    protected override Task<Notice> CreateAsync(Notice notice) => InTransactionAsync(t => _store.CreateAsync(notice, t, CancellationToken.None));

    protected override Task<Notice?> UpdateAsync(int id, Func<Notice, bool> change) => InTransactionAsync(t => _store.UpdateAsync(id, change, t, CancellationToken.None));

    protected override Task<Notice?> FindAsync(int id) => _store.FindAsync(id, CancellationToken.None);

    protected override Task<IReadOnlyList<Notice>> AllAsync() => _store.AllAsync(CancellationToken.None);

    protected override Task<IReadOnlyList<Notice>> InForceAsync(DateTime utc) => _store.InForceAsync(utc, CancellationToken.None);

    protected override Task<IReadOnlyList<Notice>> InForceOrStartingByAsync(DateTime utc, DateTime startsBy) =>
        _store.InForceOrStartingByAsync(utc, startsBy, CancellationToken.None);

    private async Task<T> InTransactionAsync<T>(Func<NpgsqlTransaction, Task<T>> work)
    {
        T result;
        await using (var connection = await _source.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            result = await work(transaction);
            await transaction.CommitAsync();
        }

        _changes.Invalidate(KnowledgeTopic.Notices);
        return result;
    }
}
