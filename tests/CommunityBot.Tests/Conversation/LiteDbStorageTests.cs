using CommunityBot.Conversation;
using CommunityBot.Storage;
using LiteDB;
using Microsoft.Bot.Builder;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommunityBot.Tests.Conversation;

/// <summary>The storage contract (<see cref="StorageContractTests"/>) on <see cref="LiteDbStorage"/>, an in-memory LiteDB per test.</summary>
public sealed class LiteDbStorageTests : StorageContractTests
{
    private readonly LiteDatabase _database = new(new MemoryStream());
    private readonly LiteDbWriter _writer;
    private readonly LiteDbStorage _storage;

    public LiteDbStorageTests()
    {
        _writer = new LiteDbWriter(_database, NullLogger<LiteDbWriter>.Instance);
        _storage = new LiteDbStorage(_database, _writer, Time);
    }

    protected override IStorage Storage => _storage;

    public override Task DisposeAsync()
    {
        _writer.Dispose();
        _database.Dispose();
        return Task.CompletedTask;
    }

    protected override StorageTurn BeginTurn() => _storage.BeginTurn();

    protected override Task CommitAsync(StorageTurn turn) => _writer.WriteAsync(_ => _storage.CommitInWrite(turn));

    protected override Task WriteNowAsync(IDictionary<string, object> changes) => _storage.WriteNowAsync(changes);

    protected override Task<IReadOnlyList<(string Key, StoredItem Item)>> FindByPrefixAsync(string prefix, int limit) =>
        Task.FromResult(_storage.FindByPrefix(prefix, limit));

    protected override Task<IReadOnlyList<(string Key, StoredItem Item)>> FindUsersOfAsync(string head, int limit) =>
        Task.FromResult(_storage.FindUsersOf(head, limit));

    protected override Task<int> DeleteIdleSinceAsync(DateTimeOffset cutoff) => Task.FromResult(_storage.DeleteIdleSince(cutoff));
}
