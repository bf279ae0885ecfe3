using CommunityBot.Conversation;
using CommunityBot.Storage.Postgres;
using CommunityBot.Tests.Conversation;
using Microsoft.Bot.Builder;
using Npgsql;

namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>
/// The storage contract (<see cref="StorageContractTests"/>) on <see cref="PostgresStorage"/>: the class's throw-away
/// database, emptied before each test; a turn commits in a transaction of its own.
/// </summary>
[PostgresTests]
public sealed class PostgresStorageTests(PostgresDatabase database) : StorageContractTests, IClassFixture<PostgresDatabase>
{
    private NpgsqlDataSource? _source;
    private PostgresStorage? _storage;

    protected override IStorage Storage => _storage!;

    public override async Task InitializeAsync()
    {
        _source = database.NewDataSource();
        _storage = new PostgresStorage(_source, Time);
        await using var command = _source.CreateCommand("TRUNCATE bot_state");
        await command.ExecuteNonQueryAsync();
    }

    protected override StorageTurn BeginTurn() => _storage!.BeginTurn();

    protected override async Task CommitAsync(StorageTurn turn)
    {
        await using var connection = await _source!.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await _storage!.CommitTurnAsync(turn, transaction, CancellationToken.None);
        await transaction.CommitAsync();
    }

    protected override Task WriteNowAsync(IDictionary<string, object> changes) => _storage!.WriteNowAsync(changes, CancellationToken.None);

    protected override Task<IReadOnlyList<(string Key, StoredItem Item)>> FindByPrefixAsync(string prefix, int limit) =>
        _storage!.FindByPrefixAsync(prefix, limit, CancellationToken.None);

    protected override Task<IReadOnlyList<(string Key, StoredItem Item)>> FindUsersOfAsync(string head, int limit) =>
        _storage!.FindUsersOfAsync(head, limit, CancellationToken.None);

    protected override Task<int> DeleteIdleSinceAsync(DateTimeOffset cutoff) => _storage!.DeleteIdleSinceAsync(cutoff, CancellationToken.None);
}
