using CommunityBot.Storage;
using LiteDB;

namespace CommunityBot.Conversation;

/// <summary>
/// The ids of messages whose turn has completed. Channels re-deliver (Bot Framework retries, WeCom re-sends
/// callbacks it considers unanswered), so a message id seen here is not processed again. Every turn asks, and almost
/// every message is new, so a <see cref="ProcessedKeyFilter"/> answers "not processed" without a LiteDB lookup once it is
/// built (by the cleanup at start, <see cref="DeleteOlderThan"/>); until then, and for the keys it cannot rule out, the
/// collection answers. The filter knows every key this process adds, so it only works while one process owns the store.
/// </summary>
public sealed class ProcessedMessageLog
{
    /// <summary>The filter is sized for twice the keys it starts with, at least this many…</summary>
    public const long MinFilterCapacity = 1 << 20;

    /// <summary>…and at most this many (20 MB); a log that outgrows it is asked directly, as without a filter.</summary>
    public const long MaxFilterCapacity = 16L << 20;

    private readonly ILiteCollection<ProcessedMessage> _processed;
    private readonly LiteDbWriter _writer;
    private readonly SemaphoreSlim _rebuilding = new(1, 1);
    private volatile ProcessedKeyFilter? _filter;
    private volatile ProcessedKeyFilter? _building;

    public ProcessedMessageLog(ILiteDatabase database, LiteDbWriter writer)
    {
        _writer = writer;
        // Only the _id index: the hourly cleanup may scan, every turn's commit should not pay for a second index.
        _processed = LiteDbCollections.Open<ProcessedMessage>(database, "processed_messages");
    }

    /// <summary>The log's key of a message: "channel|id", or its hashed form when that is too long for an index key.</summary>
    public static string KeyOf(string channel, string messageId) => StorageKeys.Bound(channel + "|" + messageId);

    public bool Contains(string key) =>
        (_filter is not { Saturated: false } filter || filter.MightContain(key)) && _processed.Exists(p => p.Id == key);

    /// <summary>Records the message (call inside the writer's transaction that stores the turn's outbox entries).</summary>
    public void Add(string key, DateTimeOffset at)
    {
        // Into the filters first: a rolled-back write leaves only a "maybe", which the collection answers.
        _building?.Add(key);
        _filter?.Add(key);
        _processed.Insert(new ProcessedMessage { Id = key, At = at.UtcDateTime });
    }

    public int DeleteOlderThan(DateTimeOffset cutoff) => _processed.DeleteMany(p => p.At < cutoff.UtcDateTime);

    /// <summary>
    /// Builds the filter afresh from the log (after the cleanup has forgotten old ids). The new filter is handed to the
    /// writer thread before the scan, between two of its commits: every key added by a later write goes into it, and
    /// every earlier write is committed before the scan reads the log, so no key is missing from it.
    /// </summary>
    public async Task RebuildFilterAsync()
    {
        await _rebuilding.WaitAsync().ConfigureAwait(false);
        try
        {
            var count = _processed.LongCount();
            if (count > MaxFilterCapacity / 2)
            {
                _filter = null;
                return;
            }

            var building = new ProcessedKeyFilter(Math.Clamp(2 * count, MinFilterCapacity, MaxFilterCapacity));
            await _writer.WriteAsync(_ => _building = building).ConfigureAwait(false);
            foreach (var processed in _processed.FindAll())
            {
                building.Add(processed.Id);
            }

            _filter = building;
            _building = null;
        }
        finally
        {
            _rebuilding.Release();
        }
    }

    private sealed class ProcessedMessage
    {
        public string Id { get; set; } = "";
        public DateTime At { get; set; }
    }
}
