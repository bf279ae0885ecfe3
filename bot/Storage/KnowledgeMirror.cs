namespace CommunityBot.Storage;

/// <summary>
/// One instance's in-memory copy of a knowledge topic shared by several instances (the FAQ, the notices on PostgreSQL),
/// for reads that must not wait for the database (every turn checks them): loaded at once by <see cref="RunAsync"/> and
/// again whenever <see cref="KnowledgeChanges"/> says the topic may have changed (an edit committed through any instance,
/// or listening that began again). The load runs on that loop, never on the thread that raised the change; until it is
/// done, and while the database cannot be read, <see cref="Current"/> is the copy loaded before.
/// </summary>
/// <remarks>Unlike <see cref="KnowledgeSnapshot{T}"/>, a read never loads: it is served from memory, at most one round trip of a
/// notification behind the database.</remarks>
public sealed class KnowledgeMirror<T> : IDisposable
    where T : class
{
    /// <summary>How long to wait before trying again when the topic could not be read.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    // A safety net only: a change is normally seen within a notification's round trip.
    private static readonly TimeSpan Recheck = TimeSpan.FromMinutes(5);

    private readonly KnowledgeChanges _changes;
    private readonly KnowledgeTopic _topic;
    private readonly Func<CancellationToken, Task<T>> _load;
    private readonly Action<T>? _apply;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly WorkSignal _changed = new();
    private T _current;
    private long _builtAt = -1;

    /// <param name="empty">Served until the first load is done.</param>
    /// <param name="apply">Run after each load has replaced <see cref="Current"/> and before <see cref="BuiltAt"/> says so: what is
    /// built from the copy (the FAQ's index).</param>
    public KnowledgeMirror(
        KnowledgeChanges changes, KnowledgeTopic topic, Func<CancellationToken, Task<T>> load, T empty, TimeProvider time, ILogger logger,
        Action<T>? apply = null)
    {
        _changes = changes;
        _topic = topic;
        _load = load;
        _apply = apply;
        _current = empty;
        _time = time;
        _logger = logger;
        _changes.Changed += OnChanged;
    }

    /// <summary>Raised after each load has been applied and <see cref="BuiltAt"/> moved, with the topic's version it was read at.</summary>
    public event Action<long>? Rebuilt;

    /// <summary>The copy last loaded; shared with every reader: read it only.</summary>
    public T Current => Volatile.Read(ref _current);

    /// <summary>The topic's version (<see cref="KnowledgeChanges.VersionOf"/>) the copy was read at; -1 before the first load.</summary>
    public long BuiltAt => Interlocked.Read(ref _builtAt);

    /// <summary>Loads the topic and serves it from now on.</summary>
    public async Task RebuildAsync(CancellationToken cancellationToken)
    {
        // Taken before the read: a change committed after it moves the version again, so the loop loads once more.
        var version = _changes.VersionOf(_topic);
        var loaded = await _load(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _current, loaded);
        _apply?.Invoke(loaded);
        Interlocked.Exchange(ref _builtAt, version);
        Rebuilt?.Invoke(version);
    }

    /// <summary>Loads at once and again after each change of the topic, until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var wait = Recheck;
            try
            {
                if (BuiltAt != _changes.VersionOf(_topic))
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
                KnowledgeMirrorLog.LoadFailed(_logger, _topic, ex); // the copy held stays in use
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
        if (change.Topic == _topic)
        {
            _changed.Wake();
        }
    }
}

/// <summary>The log lines of <see cref="KnowledgeMirror{T}"/> (the generator does not serve generic types).</summary>
internal static partial class KnowledgeMirrorLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the shared {Topic}; serving the copy held, trying again shortly")]
    public static partial void LoadFailed(ILogger logger, KnowledgeTopic topic, Exception exception);
}
