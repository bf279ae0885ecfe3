using LiteDB;

namespace CommunityBot.Broadcasts;

/// <summary>A group conversation the bot has seen, in the <c>chat_groups</c> collection; the console can tie it to a community.</summary>
public sealed class ChatGroup
{
    /// <summary><c>{channel}/{conversation id}</c>.</summary>
    [BsonId]
    public string Key { get; set; } = "";
    public string Channel { get; set; } = "";
    public string ConversationId { get; set; } = "";
    /// <summary>How to reach the group again: a <see cref="Dialogs.Conversation.ConversationReference"/> as JSON, without any resident's identity.</summary>
    public string Reference { get; set; } = "";
    /// <summary>The group's name as the channel gives it, or as staff typed it in the console.</summary>
    public string? Name { get; set; }
    public string? CommunityId { get; set; }
    public string? CompoundId { get; set; }
    public DateTime FirstSeen { get; set; }
    public DateTime LastSeen { get; set; }

    public string Label => string.IsNullOrWhiteSpace(Name) ? ConversationId : Name;

    /// <summary>A copy to change without touching what other readers hold (every field is a value or a string).</summary>
    public ChatGroup Copy() => (ChatGroup)MemberwiseClone();
}
