using CommunityBot.Dialogs.Conversation;
using CommunityBot.Notifications;
using CommunityBot.Storage;
using LiteDB;

namespace CommunityBot.Broadcasts;

/// <summary>
/// Sends a broadcast: the record and one outbox message per group are written in one commit, then the outbox
/// dispatcher delivers them as bulk (paced below each channel's limits, behind every reply that is due). Progress is read
/// back from what is left in the outbox.
/// </summary>
public sealed partial class BroadcastService(
    ILiteDatabase database, LiteDbWriter writer, Outbox outbox, TimeProvider time, ILogger<BroadcastService> logger)
{
    /// <summary>The longest text a broadcast may carry (a WeCom markdown message holds 4096 bytes; this stays inside it).</summary>
    public const int MaxLength = 1000;

    private readonly ILiteCollection<Broadcast> _broadcasts = OpenBroadcasts(database, logger);

    /// <summary>
    /// Records the broadcast and queues one message per group; returns the record once it is committed. When a
    /// broadcast with the same <paramref name="requestId"/> exists (the confirm form sent twice), returns that one
    /// and queues nothing (<c>IsNew</c> false).
    /// </summary>
    public async Task<(Broadcast Broadcast, bool IsNew)> SendAsync(string author, string text, IReadOnlyList<ChatGroup> groups, string requestId)
    {
        var (broadcast, entries) = Compose(author, text, groups, requestId, time.GetUtcNow(), outbox.Create);

        // Checked on the writer thread, so two posts of the same form at once still make one broadcast.
        var first = await writer.WriteAsync(_ =>
        {
            if (_broadcasts.FindOne(b => b.RequestId == requestId) is { } sent)
            {
                return sent;
            }

            // Two broadcasts in the same millisecond get distinct ids.
            while (_broadcasts.FindById(broadcast.Id) is not null)
            {
                broadcast.Id += "x";
                entries.ForEach(e => e.BroadcastId = broadcast.Id);
            }

            _broadcasts.Insert(broadcast);
            outbox.Insert(entries);
            return broadcast;
        });
        if (first != broadcast)
        {
            LogRepeated(first.Id, author);
            return (first, false);
        }

        outbox.Wake();
        LogSent(broadcast.Id, author, groups.Count);
        return (broadcast, true);
    }

    /// <summary>
    /// A new broadcast and its outbox entries (not stored), one bulk entry per group naming the broadcast; every store of
    /// broadcasts builds them here.
    /// </summary>
    internal static (Broadcast Broadcast, List<OutboxMessage> Entries) Compose(
        string author, string text, IReadOnlyList<ChatGroup> groups, string requestId, DateTimeOffset now, Func<ConversationReference, OutboundMessage, OutboxMessage> create)
    {
        var broadcast = new Broadcast
        {
            Id = "B" + now.UtcDateTime.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture),
            Author = author,
            Text = text,
            CreatedAt = now.UtcDateTime,
            GroupKeys = groups.Select(g => g.Key).ToList(),
            RequestId = requestId,
        };
        var message = new OutboundMessage { Text = text };
        var entries = groups.Select(g =>
        {
            var entry = create(GroupRegistry.ReferenceOf(g), message);
            entry.BroadcastId = broadcast.Id;
            entry.Bulk = true;
            return entry;
        }).ToList();
        return (broadcast, entries);
    }

    /// <summary>The most recent broadcasts first.</summary>
    public IReadOnlyList<Broadcast> Recent(int limit) =>
        _broadcasts.Query().OrderByDescending(b => b.CreatedAt).Limit(limit).ToList();

    /// <summary>
    /// Delivered, pending and failed counts of every broadcast in <paramref name="broadcasts"/> (one outbox scan),
    /// counting only the groups in <paramref name="onlyGroups"/> when given (a community's own groups).
    /// </summary>
    public IReadOnlyDictionary<string, BroadcastProgress> Progress(IReadOnlyList<Broadcast> broadcasts, IReadOnlySet<string>? onlyGroups = null)
    {
        bool Counted(string groupKey) => onlyGroups is null || onlyGroups.Contains(groupKey);
        // An outbox message's conversation key is its group's key ("channel/conversation", GroupRegistry.KeyOf).
        var left = outbox.All().Where(m => m.BroadcastId is not null && Counted(m.ConversationKey)).GroupBy(m => m.BroadcastId!)
            .ToDictionary(g => g.Key, g => (Pending: g.Count(m => m.Status == OutboxStatus.Pending), Failed: g.Count(m => m.Status == OutboxStatus.Failed)));
        return broadcasts.ToDictionary(b => b.Id, b =>
        {
            var (pending, failed) = left.GetValueOrDefault(b.Id);
            var groups = b.GroupKeys.Count(Counted);
            return new BroadcastProgress(groups, groups - pending - failed, pending, failed);
        });
    }

    private static ILiteCollection<Broadcast> OpenBroadcasts(ILiteDatabase database, ILogger logger)
    {
        var broadcasts = LiteDbCollections.Open<Broadcast>(database, "broadcasts");
        LiteDbIndexes.Ensure(database, broadcasts, logger, ("RequestId", "$.RequestId"));
        return broadcasts;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Broadcast {BroadcastId} by {Author} queued for {Groups} groups")]
    private partial void LogSent(string broadcastId, string author, int groups);

    [LoggerMessage(Level = LogLevel.Information, Message = "Broadcast {BroadcastId}'s confirm form sent again by {Author}; nothing queued")]
    private partial void LogRepeated(string broadcastId, string author);
}
