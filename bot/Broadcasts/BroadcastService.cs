using CommunityBot.Dialogs.Conversation;
using CommunityBot.Notifications;
using CommunityBot.Storage;
using LiteDB;

namespace CommunityBot.Broadcasts;

/// <summary>
/// Sends a broadcast: the record and one outbox message per group are written in one commit, then the outbox
/// dispatcher delivers them at each channel's pace. Progress is read back from what is left in the outbox.
/// </summary>
public sealed partial class BroadcastService(
    ILiteDatabase database, LiteDbWriter writer, Outbox outbox, TimeProvider time, ILogger<BroadcastService> logger)
{
    /// <summary>The longest text a broadcast may carry (a WeCom markdown message holds 4096 bytes; this stays inside it).</summary>
    public const int MaxLength = 1000;

    private readonly ILiteCollection<Broadcast> _broadcasts = LiteDbCollections.Open<Broadcast>(database, "broadcasts");

    /// <summary>Records the broadcast and queues one message per group; returns the record once it is committed.</summary>
    public async Task<Broadcast> SendAsync(string author, string text, IReadOnlyList<ChatGroup> groups)
    {
        var now = time.GetUtcNow();
        var broadcast = new Broadcast
        {
            Id = "B" + now.UtcDateTime.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture),
            Author = author,
            Text = text,
            CreatedAt = now.UtcDateTime,
            GroupKeys = groups.Select(g => g.Key).ToList(),
        };
        var message = new OutboundMessage { Text = text };
        var entries = groups.Select(g =>
        {
            var entry = outbox.Create(GroupRegistry.ReferenceOf(g), message);
            entry.BroadcastId = broadcast.Id;
            return entry;
        }).ToList();

        await writer.WriteAsync(_ =>
        {
            // Two broadcasts in the same millisecond get distinct ids.
            while (_broadcasts.FindById(broadcast.Id) is not null)
            {
                broadcast.Id += "x";
                entries.ForEach(e => e.BroadcastId = broadcast.Id);
            }

            _broadcasts.Insert(broadcast);
            outbox.Insert(entries);
        });
        outbox.Wake();
        LogSent(broadcast.Id, author, groups.Count);
        return broadcast;
    }

    /// <summary>The most recent broadcasts first.</summary>
    public IReadOnlyList<Broadcast> Recent(int limit) =>
        _broadcasts.Query().OrderByDescending(b => b.CreatedAt).Limit(limit).ToList();

    /// <summary>Delivered, pending and failed counts of every broadcast in <paramref name="broadcasts"/> (one outbox scan).</summary>
    public IReadOnlyDictionary<string, BroadcastProgress> Progress(IReadOnlyList<Broadcast> broadcasts)
    {
        var left = outbox.All().Where(m => m.BroadcastId is not null).GroupBy(m => m.BroadcastId!)
            .ToDictionary(g => g.Key, g => (Pending: g.Count(m => m.Status == OutboxStatus.Pending), Failed: g.Count(m => m.Status == OutboxStatus.Failed)));
        return broadcasts.ToDictionary(b => b.Id, b =>
        {
            var (pending, failed) = left.GetValueOrDefault(b.Id);
            return new BroadcastProgress(b.GroupKeys.Count - pending - failed, pending, failed);
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Broadcast {BroadcastId} by {Author} queued for {Groups} groups")]
    private partial void LogSent(string broadcastId, string author, int groups);
}
