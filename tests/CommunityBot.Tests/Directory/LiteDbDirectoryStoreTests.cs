using CommunityBot.Directory;
using LiteDB;

namespace CommunityBot.Tests.Directory;

/// <summary>The directory store contract (<see cref="DirectoryStoreContractTests"/>) on LiteDB's <see cref="DirectoryStore"/>, an in-memory LiteDB per test.</summary>
public sealed class LiteDbDirectoryStoreTests : DirectoryStoreContractTests
{
    private readonly LiteDatabase _database = new(new MemoryStream());
    private readonly DirectoryStore _store;

    public LiteDbDirectoryStoreTests()
    {
        _store = new DirectoryStore(_database);
    }

    public override Task DisposeAsync()
    {
        _database.Dispose();
        return Task.CompletedTask;
    }

    protected override Task ReplaceAllAsync(DirectoryData data)
    {
        _store.ReplaceAll(data);
        return Task.CompletedTask;
    }

    protected override Task<DirectoryData> LoadAsync() => Task.FromResult(_store.Load());

    protected override Task<bool> IsEmptyAsync() => Task.FromResult(_store.IsEmpty());
}
