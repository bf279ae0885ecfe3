namespace CommunityBot.Storage;

/// <summary>
/// The seam between the shared knowledge (directory, FAQ, notices: edited through any instance) and the in-memory copies
/// one instance builds from it. Each topic has a version that goes up when that topic may have changed; a cache checks it
/// (<see cref="KnowledgeSnapshot{T}"/>) or subscribes to <see cref="Changed"/> (the FAQ index and the directory lookup,
/// which rebuild rather than reload on their next read). On PostgreSQL the versions are moved by
/// <see cref="Postgres.PostgresKnowledgeListener"/>, from the notifications the stores send in their writes' transactions.
/// </summary>
public sealed class KnowledgeChanges
{
    private readonly long[] _versions = new long[Enum.GetValues<KnowledgeTopic>().Length];

    /// <summary>
    /// Raised after a topic's version went up, on the thread that moved it (the listener's): handlers must be quick and must
    /// not throw; rebuild elsewhere.
    /// </summary>
    public event Action<KnowledgeChange>? Changed;

    /// <summary>The topic's current version: a copy built at an older one may be out of date.</summary>
    public long VersionOf(KnowledgeTopic topic) => Volatile.Read(ref _versions[(int)topic]);

    /// <summary>
    /// Marks <paramref name="topic"/> changed: on a notification, or by a writer once its own edit is committed, to read it
    /// at once rather than when its notification comes back.
    /// </summary>
    public void Invalidate(KnowledgeTopic topic, string? payload = null)
    {
        Interlocked.Increment(ref _versions[(int)topic]);
        Changed?.Invoke(new KnowledgeChange(topic, payload));
    }

    /// <summary>Marks every topic changed: when nothing says what changed (listening began, or began again after a loss).</summary>
    public void InvalidateAll()
    {
        foreach (var topic in Enum.GetValues<KnowledgeTopic>())
        {
            Invalidate(topic);
        }
    }
}
