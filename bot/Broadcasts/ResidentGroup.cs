using LiteDB;

namespace CommunityBot.Broadcasts;

/// <summary>The group a resident last spoke in (<c>resident_groups</c>): a private chat with them takes that group's place.</summary>
public sealed class ResidentGroup
{
    /// <summary><c>{channel}/{user id}</c>.</summary>
    [BsonId]
    public string Key { get; set; } = "";
    /// <summary>The <see cref="ChatGroup.Key"/> of their last group.</summary>
    public string GroupKey { get; set; } = "";
    public DateTime LastSeen { get; set; }
}
