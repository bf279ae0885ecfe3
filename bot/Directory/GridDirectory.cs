using CommunityBot.Dialogs.Directory;

namespace CommunityBot.Directory;

/// <summary>
/// The grid directory as the rest of the service sees it: an in-memory <see cref="DirectorySnapshot"/> loaded from
/// <see cref="DirectoryStore"/> and swapped whole when the directory is replaced, so reads never touch the store.
/// </summary>
public sealed partial class GridDirectory(DirectoryStore store, ILogger<GridDirectory> logger) : IDirectory
{
    private readonly Lock _loadLock = new();
    private volatile DirectorySnapshot? _current;

    /// <summary>The current directory (loaded on first use).</summary>
    public DirectorySnapshot Current
    {
        get
        {
            if (_current is { } current)
            {
                return current;
            }
            lock (_loadLock)
            {
                return _current ??= new DirectorySnapshot(store.Load());
            }
        }
    }

    public IReadOnlyList<CompoundInfo> Compounds() => Current.CompoundInfos;

    /// <summary>Validates <paramref name="data"/>, stores it in place of the whole directory and serves it from now on.</summary>
    /// <exception cref="DirectoryFormatException">The data is inconsistent; nothing was replaced.</exception>
    public void Replace(DirectoryData data, DirectoryValidator.Locator? locate = null)
    {
        DirectoryValidator.Validate(data, locate);
        lock (_loadLock)
        {
            store.ReplaceAll(data);
            _current = new DirectorySnapshot(data);
        }
        LogReplaced(data.Communities.Count, data.Grids.Count, data.Compounds.Count, data.Workers.Count);
    }

    /// <summary>Re-reads the store (after a change made elsewhere, e.g. by another tool on the same database).</summary>
    public void Reload()
    {
        lock (_loadLock)
        {
            _current = new DirectorySnapshot(store.Load());
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Grid directory replaced: {Communities} communities, {Grids} grids, {Compounds} compounds, {Workers} workers")]
    private partial void LogReplaced(int communities, int grids, int compounds, int workers);
}
