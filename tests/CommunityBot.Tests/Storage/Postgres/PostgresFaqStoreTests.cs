using CommunityBot.Faq;
using CommunityBot.Storage;
using CommunityBot.Storage.Postgres;
using CommunityBot.Tests.Faq;
using Npgsql;

namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>
/// The FAQ store contract (<see cref="FaqStoreContractTests"/>) on <see cref="PostgresFaqStore"/>: the class's throw-away
/// database, emptied before each test; each write commits in a transaction of its own, after which the writer marks the
/// topic changed itself (to read its own write without waiting for its notification, as the host will).
/// </summary>
[PostgresTests]
public sealed class PostgresFaqStoreTests(PostgresDatabase database) : FaqStoreContractTests, IClassFixture<PostgresDatabase>
{
    private readonly KnowledgeChanges _changes = new();
    private NpgsqlDataSource _source = null!;
    private PostgresFaqStore _store = null!;

    public override async Task InitializeAsync()
    {
        _source = database.NewDataSource();
        _store = new PostgresFaqStore(_source, _changes);
        await using var command = _source.CreateCommand("TRUNCATE faq_entries");
        await command.ExecuteNonQueryAsync();
    }

    protected override Task UpsertAsync(FaqEntry entry) => InTransactionAsync(t => _store.UpsertAsync(entry, t, CancellationToken.None));

    protected override Task UpsertAsync(IReadOnlyCollection<FaqEntry> entries) => InTransactionAsync(t => _store.UpsertAsync(entries, t, CancellationToken.None));

    protected override Task ReplaceAllAsync(IReadOnlyCollection<FaqEntry> entries) => InTransactionAsync(t => _store.ReplaceAllAsync(entries, t, CancellationToken.None));

    protected override Task<FaqEntry?> FindAsync(string id) => _store.FindAsync(id, CancellationToken.None);

    protected override Task<IReadOnlyList<FaqEntry>> AllAsync() => _store.AllAsync(CancellationToken.None);

    protected override Task<IReadOnlyList<FaqEntry>> EnabledAsync() => _store.EnabledAsync(CancellationToken.None);

    protected override Task<int> CountAsync() => _store.CountAsync(CancellationToken.None);

    private async Task InTransactionAsync(Func<NpgsqlTransaction, Task> work)
    {
        await using (var connection = await _source.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await work(transaction);
            await transaction.CommitAsync();
        }

        _changes.Invalidate(KnowledgeTopic.Faq);
    }
}
