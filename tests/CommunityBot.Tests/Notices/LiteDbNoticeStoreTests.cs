using CommunityBot.Notices;
using CommunityBot.Storage;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommunityBot.Tests.Notices;

/// <summary>The notice store contract (<see cref="NoticeStoreContractTests"/>) on LiteDB's <see cref="NoticeStore"/>, an in-memory LiteDB per test.</summary>
public sealed class LiteDbNoticeStoreTests : NoticeStoreContractTests
{
    private readonly LiteDatabase _database = new(new MemoryStream());
    private readonly LiteDbWriter _writer;
    private readonly NoticeStore _store;

    public LiteDbNoticeStoreTests()
    {
        _writer = new LiteDbWriter(_database, NullLogger<LiteDbWriter>.Instance);
        _store = new NoticeStore(_database, _writer);
    }

    public override Task DisposeAsync()
    {
        _writer.Dispose();
        _database.Dispose();
        return Task.CompletedTask;
    }

    protected override Task<Notice> CreateAsync(Notice notice) => _store.CreateAsync(notice);

    protected override Task<Notice?> UpdateAsync(int id, Func<Notice, bool> change) => _store.UpdateAsync(id, change);

    protected override Task<Notice?> FindAsync(int id) => Task.FromResult(_store.Find(id));

    protected override Task<IReadOnlyList<Notice>> AllAsync() => Task.FromResult(_store.All());

    protected override Task<IReadOnlyList<Notice>> InForceAsync(DateTime utc) => Task.FromResult(_store.InForce(utc));

    protected override Task<IReadOnlyList<Notice>> InForceOrStartingByAsync(DateTime utc, DateTime startsBy) => Task.FromResult(_store.InForceOrStartingBy(utc, startsBy));
}
