using CommunityBot.Faq;
using CommunityBot.Understanding;

namespace CommunityBot.Storage.Postgres;

/// <summary>
/// One instance's FAQ on PostgreSQL, as the answers read it: the enabled entries of <c>faq_entries</c> in memory
/// (<see cref="KnowledgeMirror{T}"/>, reloaded on each FAQ notification) and the matcher's index rebuilt from each load.
/// </summary>
/// <remarks>
/// The entries are replaced before the matcher, so an id the new index can answer with is always found; an entry just
/// taken away may still be matched for a moment and is then found missing, which reads as no answer.
/// </remarks>
public sealed partial class PostgresFaqIndex : IFaqEntries, IDisposable
{
    private readonly FaqMatcher _matcher;
    private readonly ILogger<PostgresFaqIndex> _logger;
    private readonly KnowledgeMirror<Dictionary<string, FaqEntry>> _entries;

    public PostgresFaqIndex(PostgresFaqStore store, FaqMatcher matcher, KnowledgeChanges changes, TimeProvider time, ILogger<PostgresFaqIndex> logger)
    {
        _matcher = matcher;
        _logger = logger;
        _entries = new(
            changes, KnowledgeTopic.Faq,
            async ct => CommittedSnapshot.ById(await store.EnabledAsync(ct).ConfigureAwait(false), e => e.Id),
            new Dictionary<string, FaqEntry>(StringComparer.OrdinalIgnoreCase), time, logger, Index);
    }

    /// <summary>Raised after each rebuild with the FAQ's version it was read at (<see cref="KnowledgeChanges.VersionOf"/>).</summary>
    public event Action<long>? Rebuilt
    {
        add => _entries.Rebuilt += value;
        remove => _entries.Rebuilt -= value;
    }

    /// <summary>The FAQ's version the index was last built at; -1 before the first build.</summary>
    public long BuiltAt => _entries.BuiltAt;

    /// <summary>The enabled entry, as a copy the caller may change (id compared ignoring case, as <see cref="FaqStore.Find"/>).</summary>
    public FaqEntry? Find(string id) => _entries.Current.GetValueOrDefault(id)?.Copy();

    /// <summary>Builds the index now from the enabled entries.</summary>
    public Task RebuildAsync(CancellationToken cancellationToken) => _entries.RebuildAsync(cancellationToken);

    /// <summary>Builds at once and again after each change, until <paramref name="cancellationToken"/> is cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken) => _entries.RunAsync(cancellationToken);

    public void Dispose() => _entries.Dispose();

    private void Index(Dictionary<string, FaqEntry> entries)
    {
        _matcher.Reload(entries.Values);
        LogRebuilt(entries.Count, _matcher.PhrasingCount);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "FAQ index rebuilt from the shared knowledge base: {Entries} entries, {Phrasings} phrasings")]
    private partial void LogRebuilt(int entries, int phrasings);
}
