using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Engine;
using LiteDB;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace CommunityBot.Notifications;

/// <summary>A message waiting to be delivered to a channel; written before the channel is answered.</summary>
public sealed class OutboxMessage
{
    public ObjectId Id { get; set; } = ObjectId.NewObjectId();
    public string Channel { get; set; } = "";
    /// <summary>Deliveries to one conversation go out in order; this is their grouping key.</summary>
    public string ConversationKey { get; set; } = "";
    /// <summary>The target <see cref="CommunityBot.Dialogs.Conversation.ConversationReference"/> as JSON.</summary>
    public string To { get; set; } = "";
    /// <summary>The <see cref="CommunityBot.Dialogs.Conversation.OutboundMessage"/> as JSON.</summary>
    public string Message { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime DueAt { get; set; }
    /// <summary>Failed attempts (a channel's "retry later" is not one).</summary>
    public int Attempts { get; set; }
    public OutboxStatus Status { get; set; }
    public string? LastError { get; set; }
    /// <summary>The broadcast this message belongs to, if any (its history counts what is still here).</summary>
    public string? BroadcastId { get; set; }
    /// <summary>
    /// Part of a bulk send (a broadcast, a sweep's reminders): paced below the channel's limits and always behind any
    /// reply that is due; a turn's replies are not bulk.
    /// </summary>
    public bool Bulk { get; set; }
    /// <summary>When it was given up on (<see cref="OutboxStatus.Failed"/>); purged after <see cref="OutboxOptions.FailedRetention"/>.</summary>
    public DateTime? FailedAt { get; set; }

    /// <summary>A new entry for <paramref name="message"/> to <paramref name="to"/>, due at once (every outbox builds its entries here).</summary>
    public static OutboxMessage For(ConversationReference to, OutboundMessage message, DateTime nowUtc) => new()
    {
        Channel = to.Channel,
        ConversationKey = $"{to.Channel}/{to.ConversationId}",
        To = JsonSerializer.Serialize(to, DialogJson.Options),
        Message = JsonSerializer.Serialize(message, DialogJson.Options),
        CreatedAt = nowUtc,
        DueAt = nowUtc,
    };
}

/// <summary>Where an outbox message is in its life.</summary>
public enum OutboxStatus
{
    Pending,
    /// <summary>Gave up (undeliverable, or the configured number of attempts used); kept for staff to see, then purged.</summary>
    Failed,
}
