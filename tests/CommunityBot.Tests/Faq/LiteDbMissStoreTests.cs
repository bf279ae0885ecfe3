using CommunityBot.Dialogs.Understanding;
using CommunityBot.Faq;
using CommunityBot.Storage;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommunityBot.Tests.Faq;

/// <summary>The miss log contract (<see cref="MissStoreContractTests"/>) on LiteDB's <see cref="MissStore"/>, an in-memory LiteDB per test.</summary>
public sealed class LiteDbMissStoreTests : MissStoreContractTests
{
    private readonly LiteDatabase _database = new(new MemoryStream());
    private readonly LiteDbWriter _writer;
    private readonly MissStore _store;

    public LiteDbMissStoreTests()
    {
        _writer = new LiteDbWriter(_database, NullLogger<LiteDbWriter>.Instance);
        _store = new MissStore(_database, _writer, maxMisses: MaxMisses);
    }

    public override Task DisposeAsync()
    {
        _writer.Dispose();
        _database.Dispose();
        return Task.CompletedTask;
    }

    protected override Task RecordAsync(FaqMiss miss) => _store.RecordAsync(miss, CancellationToken.None);

    protected override Task<IReadOnlyList<FaqMiss>> RecentAsync(int limit) => Task.FromResult(_store.Recent(limit));

    protected override Task<int> CountAsync() => Task.FromResult(_store.Count());
}
