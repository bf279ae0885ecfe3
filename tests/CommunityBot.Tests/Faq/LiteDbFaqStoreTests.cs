using CommunityBot.Faq;
using LiteDB;

namespace CommunityBot.Tests.Faq;

/// <summary>The FAQ store contract (<see cref="FaqStoreContractTests"/>) on LiteDB's <see cref="FaqStore"/>, an in-memory LiteDB per test.</summary>
public sealed class LiteDbFaqStoreTests : FaqStoreContractTests
{
    private readonly LiteDatabase _database = new(new MemoryStream());
    private readonly FaqStore _store;

    public LiteDbFaqStoreTests()
    {
        _store = new FaqStore(_database);
    }

    public override Task DisposeAsync()
    {
        _database.Dispose();
        return Task.CompletedTask;
    }

    protected override Task UpsertAsync(FaqEntry entry) => Run(() => _store.Upsert(entry));

    protected override Task UpsertAsync(IReadOnlyCollection<FaqEntry> entries) => Run(() => _store.Upsert(entries));

    protected override Task ReplaceAllAsync(IReadOnlyCollection<FaqEntry> entries) => Run(() => _store.ReplaceAll(entries));

    protected override Task<FaqEntry?> FindAsync(string id) => Task.FromResult(_store.Find(id));

    protected override Task<IReadOnlyList<FaqEntry>> AllAsync() => Task.FromResult(_store.All());

    protected override Task<IReadOnlyList<FaqEntry>> EnabledAsync() => Task.FromResult(_store.Enabled());

    protected override Task<int> CountAsync() => Task.FromResult(_store.Count());

    private static Task Run(Action write)
    {
        write();
        return Task.CompletedTask;
    }
}
