using CommunityBot.Notices;
using Npgsql;

namespace CommunityBot.Storage.Postgres;

/// <summary>
/// One instance's notices on PostgreSQL, as <see cref="NoticeBoard"/> reads them: those not withdrawn, in memory
/// (<see cref="KnowledgeMirror{T}"/>, reloaded on each notice notification), so a question is checked against them without a
/// round trip. A report joining a notice is written through <see cref="PostgresNoticeStore"/> in a transaction of its own,
/// the notice read <c>FOR UPDATE</c>, so reports joining on two instances at once both count.
/// </summary>
public sealed class PostgresNoticeMirror : INoticeRecords, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresNoticeStore _store;
    private readonly KnowledgeChanges _changes;
    private readonly KnowledgeMirror<IReadOnlyList<Notice>> _notices;

    public PostgresNoticeMirror(
        NpgsqlDataSource dataSource, PostgresNoticeStore store, KnowledgeChanges changes, TimeProvider time, ILogger<PostgresNoticeMirror> logger)
    {
        _dataSource = dataSource;
        _store = store;
        _changes = changes;
        _notices = new(changes, KnowledgeTopic.Notices, store.NotWithdrawnAsync, [], time, logger);
    }

    /// <summary>Raised after each reload with the notices' version it was read at (<see cref="KnowledgeChanges.VersionOf"/>).</summary>
    public event Action<long>? Rebuilt
    {
        add => _notices.Rebuilt += value;
        remove => _notices.Rebuilt -= value;
    }

    /// <summary>The notices' version the copy was read at; -1 before the first load.</summary>
    public long BuiltAt => _notices.BuiltAt;

    public IReadOnlyList<Notice> InForce(DateTime utc) => _notices.Current.Where(n => n.IsInForce(utc)).ToList();

    public IReadOnlyList<Notice> InForceOrStartingBy(DateTime utc, DateTime startsBy) =>
        _notices.Current.Where(n => n.IsInForceOrStartingBy(utc, startsBy)).ToList();

    public async Task<Notice?> UpdateAsync(int id, Func<Notice, bool> change, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var notice = await _store.UpdateAsync(id, change, transaction, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        if (notice is not null)
        {
            _changes.Invalidate(KnowledgeTopic.Notices); // reload now rather than when the notification comes back
        }

        return notice;
    }

    /// <summary>Loads the notices now.</summary>
    public Task RebuildAsync(CancellationToken cancellationToken) => _notices.RebuildAsync(cancellationToken);

    /// <summary>Loads at once and again after each change, until <paramref name="cancellationToken"/> is cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken) => _notices.RunAsync(cancellationToken);

    public void Dispose() => _notices.Dispose();
}
