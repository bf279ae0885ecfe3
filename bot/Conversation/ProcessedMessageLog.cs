using CommunityBot.Storage;
using LiteDB;

namespace CommunityBot.Conversation;

/// <summary>
/// The ids of messages whose turn has completed. Channels re-deliver (Bot Framework retries, WeCom re-sends
/// callbacks it considers unanswered), so a message id seen here is not processed again.
/// </summary>
public sealed class ProcessedMessageLog
{
    private readonly ILiteCollection<ProcessedMessage> _processed;

    public ProcessedMessageLog(ILiteDatabase database)
    {
        // Only the _id index: the hourly cleanup may scan, every turn's commit should not pay for a second index.
        _processed = LiteDbCollections.Open<ProcessedMessage>(database, "processed_messages");
    }

    /// <summary>The log's key of a message: "channel|id", or its hashed form when that is too long for an index key.</summary>
    public static string KeyOf(string channel, string messageId) => StorageKeys.Bound(channel + "|" + messageId);

    public bool Contains(string key) => _processed.Exists(p => p.Id == key);

    /// <summary>Records the message (call inside the transaction that stores the turn's outbox entries).</summary>
    public void Add(string key, DateTimeOffset at) => _processed.Insert(new ProcessedMessage { Id = key, At = at.UtcDateTime });

    public int DeleteOlderThan(DateTimeOffset cutoff) => _processed.DeleteMany(p => p.At < cutoff.UtcDateTime);

    private sealed class ProcessedMessage
    {
        public string Id { get; set; } = "";
        public DateTime At { get; set; }
    }
}
