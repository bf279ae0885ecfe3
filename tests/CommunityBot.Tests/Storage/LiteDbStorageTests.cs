using CommunityBot.Storage;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommunityBot.Tests.Storage;

public sealed class LiteDbStorageTests : IDisposable
{
    private readonly LiteDatabase _database = new(new MemoryStream());
    private readonly LiteDbWriter _writer;

    public LiteDbStorageTests() => _writer = new LiteDbWriter(_database, NullLogger<LiteDbWriter>.Instance);

    public void Dispose()
    {
        _writer.Dispose();
        _database.Dispose();
    }

    [Fact]
    public void Open_NewCollection_ExistsAndIsEmpty()
    {
        var collection = LiteDbCollections.Open(_database, "fresh");

        Assert.True(_database.CollectionExists("fresh"));
        Assert.Equal(0, collection.Count());
    }

    [Fact]
    public async Task Writer_ManyConcurrentWrites_AllCommittedAndVisible()
    {
        var collection = LiteDbCollections.Open(_database, "items");

        await Task.WhenAll(Enumerable.Range(0, 500).Select(i =>
            Task.Run(() => _writer.WriteAsync(_ => collection.Insert(new BsonDocument { ["_id"] = i })))));

        Assert.Equal(500, collection.Count());
    }

    [Fact]
    public async Task Writer_OneFailingWriteInABatch_FailsAloneAndOthersCommit()
    {
        var collection = LiteDbCollections.Open(_database, "items");
        await _writer.WriteAsync(_ => collection.Insert(new BsonDocument { ["_id"] = 1 }));

        var writes = Enumerable.Range(0, 50)
            .Select(i => _writer.WriteAsync(_ => collection.Insert(new BsonDocument { ["_id"] = i == 25 ? 1 : 100 + i })))
            .ToList();

        await Assert.ThrowsAsync<LiteException>(() => writes[25]);
        await Task.WhenAll(writes.Where((_, i) => i != 25));
        Assert.Equal(50, collection.Count());
    }

    [Fact]
    public async Task Writer_ReturnsTheWritesResult()
    {
        var collection = LiteDbCollections.Open(_database, "marks");

        Assert.True(await _writer.WriteAsync(_ => collection.Upsert(new BsonDocument { ["_id"] = "k" })));
        Assert.False(await _writer.WriteAsync(_ => collection.Upsert(new BsonDocument { ["_id"] = "k" })));
    }
}
