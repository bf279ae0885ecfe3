namespace CommunityBot.Storage;

/// <summary>
/// An in-memory copy of a knowledge topic, loaded asynchronously and kept while <see cref="KnowledgeChanges"/> says the
/// topic has not changed since. A load that overlaps a change is used for that read only and not kept, since it may have
/// read what was there before the change; so once a change is known here, no read returns a copy older than it.
/// </summary>
public sealed class KnowledgeSnapshot<T>(KnowledgeChanges changes, KnowledgeTopic topic, Func<CancellationToken, Task<T>> load)
    where T : class
{
    private Kept? _kept;

    /// <summary>The kept copy when the topic's version has not moved since it was loaded, else a fresh load.</summary>
    public async Task<T> GetAsync(CancellationToken cancellationToken)
    {
        var version = changes.VersionOf(topic);
        if (Volatile.Read(ref _kept) is { } kept && kept.Version == version)
        {
            return kept.Value;
        }

        var loaded = await load(cancellationToken).ConfigureAwait(false);
        if (changes.VersionOf(topic) == version)
        {
            Volatile.Write(ref _kept, new Kept(version, loaded));
        }

        return loaded;
    }

    private sealed record Kept(long Version, T Value);
}
