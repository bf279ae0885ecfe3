using CommunityBot.Storage;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommunityBot.Notices;

/// <summary>
/// Notices in LiteDB (collection <c>notices</c>); the reports that join a notice are kept inside it. Every question is
/// checked against the notices in force, so the notices (few: a street office posts some a month) are also held in memory
/// (<see cref="CommittedSnapshot{T}"/>) and dropped after each write.
/// </summary>
public sealed class NoticeStore : INoticeRecords
{
    public const string CollectionName = "notices";

    private readonly ILiteCollection<Notice> _notices;
    private readonly LiteDbWriter _writer;
    private readonly CommittedSnapshot<List<Notice>> _all;

    public NoticeStore(ILiteDatabase database, LiteDbWriter writer, ILogger<NoticeStore>? logger = null)
    {
        _writer = writer;
        _notices = LiteDbCollections.Open<Notice>(database, CollectionName);
        LiteDbIndexes.Ensure(database, _notices, logger ?? NullLogger<NoticeStore>.Instance,
            ("EndUtc", "$.EndUtc"),
            ("CommunityId", "$.CommunityId"));
        _all = new(() => _notices.FindAll().ToList());
    }

    public Notice? Find(int id) => _notices.FindById(id);

    /// <summary>Every notice, newest window first (the console's list; notices are few).</summary>
    public IReadOnlyList<Notice> All() => _notices.Query().OrderByDescending(n => n.StartUtc).ToList();

    /// <summary>Notices not withdrawn whose window contains <paramref name="utc"/>; shared with other readers: read them only.</summary>
    public IReadOnlyList<Notice> InForce(DateTime utc) => Current().Where(n => n.IsInForce(utc)).ToList();

    /// <summary>
    /// Notices not withdrawn that are in force at <paramref name="utc"/> or start by <paramref name="startsBy"/>; shared with
    /// other readers: read them only.
    /// </summary>
    public IReadOnlyList<Notice> InForceOrStartingBy(DateTime utc, DateTime startsBy) =>
        Current().Where(n => n.IsInForceOrStartingBy(utc, startsBy)).ToList();

    /// <summary>Stores a new notice and returns it with its id.</summary>
    public Task<Notice> CreateAsync(Notice notice) => _writer.WriteAsync(_ =>
    {
        _notices.Insert(notice);
        _writer.AfterCommit(_all.Invalidate);
        return notice;
    });

    /// <summary>
    /// Re-reads the notice, applies <paramref name="change"/> and stores it on the writer thread (so two reports joining
    /// at once both count). Null when there is no such notice or <paramref name="change"/> declined.
    /// </summary>
    public Task<Notice?> UpdateAsync(int id, Func<Notice, bool> change) => _writer.WriteAsync(_ =>
    {
        var notice = _notices.FindById(id);
        if (notice is null || !change(notice))
        {
            return null;
        }

        _notices.Update(notice);
        _writer.AfterCommit(_all.Invalidate);
        return notice;
    });

    Task<Notice?> INoticeRecords.UpdateAsync(int id, Func<Notice, bool> change, CancellationToken cancellationToken) => UpdateAsync(id, change);

    private List<Notice> Current() => _writer.OnWriterThread ? _notices.FindAll().ToList() : _all.Get();
}
