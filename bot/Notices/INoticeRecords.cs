namespace CommunityBot.Notices;

/// <summary>
/// The notices as <see cref="NoticeBoard"/> reads and changes them: every question is checked against the notices in force,
/// so an implementation answers those from memory. <see cref="NoticeStore"/> is the one-process LiteDB store;
/// <see cref="Storage.Postgres.PostgresNoticeMirror"/> is one instance's copy of the notices shared on PostgreSQL.
/// </summary>
public interface INoticeRecords
{
    /// <summary>Notices not withdrawn whose window contains <paramref name="utc"/>; shared with other readers: read them only.</summary>
    IReadOnlyList<Notice> InForce(DateTime utc);

    /// <summary>
    /// Notices not withdrawn that are in force at <paramref name="utc"/> or start by <paramref name="startsBy"/>; shared with
    /// other readers: read them only.
    /// </summary>
    IReadOnlyList<Notice> InForceOrStartingBy(DateTime utc, DateTime startsBy);

    /// <summary>
    /// Re-reads the notice, applies <paramref name="change"/> and stores it, so two reports joining at once both count. Null
    /// when there is no such notice or <paramref name="change"/> declined.
    /// </summary>
    Task<Notice?> UpdateAsync(int id, Func<Notice, bool> change, CancellationToken cancellationToken);
}
