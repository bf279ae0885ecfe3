using LiteDB;

namespace CommunityBot.Broadcasts;

/// <summary>A policy message sent from the console to chosen groups (the <c>broadcasts</c> collection).</summary>
public sealed class Broadcast
{
    [BsonId]
    public string Id { get; set; } = "";
    /// <summary>The console account that sent it.</summary>
    public string Author { get; set; } = "";
    public string Text { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    /// <summary>The <see cref="ChatGroup.Key"/>s it went to.</summary>
    public List<string> GroupKeys { get; set; } = [];
    /// <summary>The confirm form's one-time id: sending the same form again finds this broadcast instead of a new one.</summary>
    public string? RequestId { get; set; }
}
