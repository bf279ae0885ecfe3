using CommunityBot.Faq;
using CommunityBot.Understanding;

namespace CommunityBot.Storage.Postgres;

/// <summary>
/// One instance's FAQ on PostgreSQL, as the answers read it: the matcher's index and the enabled entries, rebuilt from
/// <c>faq_entries</c> whenever <see cref="KnowledgeChanges"/> says the FAQ may have changed (an edit committed through any
/// instance, this one included, arrives as a notification through <see cref="PostgresKnowledgeListener"/>; listening that
/// begins again marks everything changed). The rebuild runs on <see cref="RunAsync"/>'s loop, never on the listener's
/// thread; until it is done the instance answers from the index it had.
/// </summary>
/// <remarks>
/// The entries are replaced before the matcher, so an id the new index can answer with is always found; an entry just
/// taken away may still be matched for a moment and is then found missing, which reads as no answer.
/// </remarks>
public sealed partial class PostgresFaqIndex : IFaqEntries, IDisposable
{
    /// <summary>How long to wait before trying again when the entries could not be read.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    // A safety net only: a change is normally seen within a notification's round trip.
    private static readonly TimeSpan Recheck = TimeSpan.FromMinutes(5);

    private readonly PostgresFaqStore _store;
    private readonly FaqMatcher _matcher;
    private readonly KnowledgeChanges _changes;
    private readonly TimeProvider _time;
    private readonly ILogger<PostgresFaqIndex> _logger;
    private readonly WorkSignal _changed = new();
    private Dictionary<string, FaqEntry> _entries = new(StringComparer.OrdinalIgnoreCase);
    private long _builtAt = -1;

    public PostgresFaqIndex(PostgresFaqStore store, FaqMatcher matcher, KnowledgeChanges changes, TimeProvider time, ILogger<PostgresFaqIndex> logger)
    {
        _store = store;
        _matcher = matcher;
        _changes = changes;
        _time = time;
        _logger = logger;
        _changes.Changed += OnChanged;
    }

    /// <summary>Raised after each rebuild with the FAQ's version it was read at (<see cref="KnowledgeChanges.VersionOf"/>).</summary>
    public event Action<long>? Rebuilt;

    /// <summary>The FAQ's version the index was last read at; -1 before the first rebuild.</summary>
    public long BuiltAt => Interlocked.Read(ref _builtAt);

    /// <summary>The enabled entry, as a copy the caller may change (id compared ignoring case, as <see cref="FaqStore.Find"/>).</summary>
    public FaqEntry? Find(string id) => Volatile.Read(ref _entries).GetValueOrDefault(id)?.Copy();

    /// <summary>Reads the enabled entries and rebuilds the index from them now.</summary>
    public async Task RebuildAsync(CancellationToken cancellationToken)
    {
        // Read before the entries: a change committed after this is seen again by the loop, so none is missed.
        var version = _changes.VersionOf(KnowledgeTopic.Faq);
        var entries = await _store.EnabledAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _entries, CommittedSnapshot.ById(entries, e => e.Id));
        _matcher.Reload(entries);
        Interlocked.Exchange(ref _builtAt, version);
        LogRebuilt(entries.Count, _matcher.PhrasingCount);
        Rebuilt?.Invoke(version);
    }

    /// <summary>Rebuilds at once and again after each change, until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var wait = Recheck;
            try
            {
                if (BuiltAt != _changes.VersionOf(KnowledgeTopic.Faq))
                {
                    await RebuildAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogRebuildFailed(ex); // the index it had stays in use
                wait = RetryDelay;
            }

            try
            {
                await _changed.WaitAsync(wait, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    public void Dispose() => _changes.Changed -= OnChanged;

    private void OnChanged(KnowledgeChange change)
    {
        if (change.Topic == KnowledgeTopic.Faq)
        {
            _changed.Wake();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "FAQ index rebuilt from the shared knowledge base: {Entries} entries, {Phrasings} phrasings")]
    private partial void LogRebuilt(int entries, int phrasings);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the shared FAQ; answering from the index held, trying again shortly")]
    private partial void LogRebuildFailed(Exception exception);
}
