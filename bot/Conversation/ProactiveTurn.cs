using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Engine;
using LiteDB;

namespace CommunityBot.Conversation;

/// <summary>
/// A turn the bot owes a resident (the closing survey, a request for a phone): written by the desk in the same LiteDB
/// write as the ticket change that calls for it, run by <see cref="ProactiveTurnRunner"/> as an event activity through
/// the one pipeline and bot, and deleted in that turn's own commit.
/// </summary>
public sealed class ProactiveTurn
{
    /// <summary>A request (not stored) for a turn <paramref name="name"/> in <paramref name="to"/>'s conversation, due now.</summary>
    public static ProactiveTurn For(ConversationReference to, string name, string valueJson, DateTime nowUtc) => new()
    {
        ResidentKey = to.StateKey,
        To = System.Text.Json.JsonSerializer.Serialize(to with { ReplyToId = null }, DialogJson.Options),
        Name = name,
        Value = valueJson,
        CreatedAt = nowUtc,
        DueAt = nowUtc,
    };

    public ObjectId Id { get; set; } = ObjectId.NewObjectId();
    /// <summary>The resident's <c>{channel}/{conversation}/{user}</c>: their requests run in order, one at a time.</summary>
    public string ResidentKey { get; set; } = "";
    /// <summary>The resident's <see cref="CommunityBot.Dialogs.Conversation.ConversationReference"/> as JSON.</summary>
    public string To { get; set; } = "";
    /// <summary>The event's name (<see cref="CommunityBot.Dialogs.Tickets.TicketPrompt.FeedbackEvent"/> …).</summary>
    public string Name { get; set; } = "";
    /// <summary>The event's value as JSON.</summary>
    public string Value { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime DueAt { get; set; }
    /// <summary>Failed runs so far.</summary>
    public int Attempts { get; set; }
    public ProactiveTurnStatus Status { get; set; }
    public string? LastError { get; set; }
    /// <summary>When it was given up on; purged after <see cref="CommunityBot.Notifications.OutboxOptions.FailedRetention"/>.</summary>
    public DateTime? FailedAt { get; set; }

    /// <summary>The id its turn is de-duplicated on, as a channel's message id is.</summary>
    public string MessageId => "proactive-" + Id;
}

/// <summary>Where a proactive turn is in its life.</summary>
public enum ProactiveTurnStatus
{
    Pending,
    /// <summary>Every attempt failed; kept for staff and logs, then purged.</summary>
    Failed,
}
