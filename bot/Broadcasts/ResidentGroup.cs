using LiteDB;

namespace CommunityBot.Broadcasts;

/// <summary>
/// The group a resident last spoke in (collection <c>resident_groups</c>), so that their private chat can use that
/// group's compound: "物业电话多少" asked privately is answered for the compound of their own group.
/// </summary>
public sealed class ResidentGroup
{
    /// <summary><c>{channel}|{user id}</c>.</summary>
    [BsonId]
    public string Key { get; set; } = "";

    /// <summary>The <see cref="ChatGroup.Key"/> of the group.</summary>
    public string GroupKey { get; set; } = "";

    public DateTime LastSeen { get; set; }
}
