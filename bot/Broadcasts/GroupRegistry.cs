using System.Text.Json;
using CommunityBot.Channels.WeCom;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Engine;
using CommunityBot.Storage;
using LiteDB;
using Microsoft.Extensions.Options;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace CommunityBot.Broadcasts;

/// <summary>
/// The group conversations the bot is in, so that the console can broadcast to them. A turn records its group
/// inside the turn's own write, and only when the message was authenticated (<see cref="InboundMessage.Authenticated"/>:
/// a forged activity must not plant a broadcast target) and the group is new or its last-seen time is more than
/// <see cref="Staleness"/> old (<see cref="GroupSightings"/>). Bounded by
/// <see cref="GroupRegistryOptions"/>. All writes go through the <see cref="LiteDbWriter"/> thread, so
/// read-modify-write needs no lock here.
/// </summary>
public sealed class GroupRegistry
{
    public static readonly TimeSpan Staleness = TimeSpan.FromHours(1);

    /// <summary>The channel's name for the group, when its mapper put one in the reference (Bot Framework conversation.name).</summary>
    public const string NameProperty = "conversation_name";

    /// <summary>A resident's last group is written again at most this often while it stays the same.</summary>
    public static readonly TimeSpan ResidentStaleness = TimeSpan.FromDays(1);

    private readonly ILiteCollection<ChatGroup> _groups;
    private readonly ILiteCollection<ResidentGroup> _residents;
    private readonly GroupSightings _sightings = new();
    private readonly LiteDbWriter _writer;
    // Every group turn reads its group's place (Find), so the groups (at most MaxGroups) are also held in memory.
    private readonly CommittedSnapshot<Dictionary<string, ChatGroup>> _known;

    private readonly GroupRegistryOptions _options;

    public GroupRegistry(ILiteDatabase database, LiteDbWriter writer, IOptions<GroupRegistryOptions>? options = null)
    {
        _options = options?.Value ?? new GroupRegistryOptions();
        _writer = writer;
        _groups = LiteDbCollections.Open<ChatGroup>(database, "chat_groups");
        _known = new(() => CommittedSnapshot.ById(_groups.FindAll(), g => g.Key));
        _residents = LiteDbCollections.Open<ResidentGroup>(database, "resident_groups");
        _residents.EnsureIndex(r => r.LastSeen);
        foreach (var group in _groups.FindAll())
        {
            _sightings.Written(group.Key, group.LastSeen);
        }
    }

    public static string KeyOf(string channel, string conversationId) => channel + "/" + conversationId;

    /// <summary>Whether the group of <paramref name="message"/> should be recorded now: never for an unauthenticated message.</summary>
    public bool ShouldRecord(InboundMessage message, DateTimeOffset now) =>
        message.Authenticated && ShouldRecord(message.Conversation, now);

    /// <summary>
    /// Whether <paramref name="conversation"/> should be recorded now (a group not seen, or not recorded for an hour);
    /// claims the write, so concurrent turns in the same group record it once.
    /// </summary>
    public bool ShouldRecord(ConversationReference conversation, DateTimeOffset now) => _sightings.Claim(conversation, now);

    /// <summary>
    /// Inserts or refreshes the group (call on the writer thread, e.g. inside the turn's write). A new group first makes
    /// room (<see cref="GroupRegistryOptions"/>); false when there is none, and the group is not recorded.
    /// </summary>
    public bool Record(ConversationReference conversation, DateTimeOffset now)
    {
        var key = KeyOf(conversation.Channel, conversation.ConversationId);
        var group = _groups.FindById(key);
        if (group is null)
        {
            if (!MakeRoom(now.UtcDateTime))
            {
                _sightings.Forget(key);
                return false;
            }

            group = new ChatGroup
            {
                Key = key,
                Channel = conversation.Channel,
                ConversationId = conversation.ConversationId,
                FirstSeen = now.UtcDateTime,
            };
        }

        group.Reference = JsonSerializer.Serialize(Anonymous(conversation), DialogJson.Options);
        group.LastSeen = now.UtcDateTime;
        if (string.IsNullOrWhiteSpace(group.Name) && conversation.Properties.TryGetValue(NameProperty, out var name) && name.Trim().Length > 0)
        {
            group.Name = name.Trim();
        }

        _groups.Upsert(group);
        _writer.AfterCommit(_known.Invalidate);
        return true;
    }

    /// <summary>
    /// Whether the resident's last group should be written now: an authenticated group message from a group other than
    /// the one recorded, or the same one more than <see cref="ResidentStaleness"/> after it was last written.
    /// </summary>
    public bool ShouldRecordResident(InboundMessage message, DateTimeOffset now)
    {
        if (!message.Authenticated || !message.IsGroup || message.UserId.Length == 0)
        {
            return false;
        }

        return _residents.FindById(ResidentKey(message.Channel, message.UserId)) is not { } known
            || known.GroupKey != KeyOf(message.Channel, message.Conversation.ConversationId)
            || now.UtcDateTime - known.LastSeen > ResidentStaleness;
    }

    /// <summary>Records the group of <paramref name="message"/> as its sender's last (call on the writer thread).</summary>
    public void RecordResident(InboundMessage message, DateTimeOffset now) => _residents.Upsert(new ResidentGroup
    {
        Key = ResidentKey(message.Channel, message.UserId),
        GroupKey = KeyOf(message.Channel, message.Conversation.ConversationId),
        LastSeen = now.UtcDateTime,
    });

    /// <summary>The group the user last spoke in on this channel (as the registry heard it), or null.</summary>
    public ChatGroup? LastGroupOf(string channel, string userId) =>
        _residents.FindById(ResidentKey(channel, userId))?.GroupKey is { } key ? Find(key) : null;

    /// <summary>
    /// Registers <paramref name="conversation"/> (if new) under <paramref name="name"/> and ties it to the community and
    /// compound, as 群管理 does (call on the writer thread). The demo group is tied this way on first start.
    /// </summary>
    public bool Tie(ConversationReference conversation, string name, string communityId, string? compoundId, DateTimeOffset now) =>
        Record(conversation, now) && Assign(KeyOf(conversation.Channel, conversation.ConversationId), name, communityId, compoundId);

    private static string ResidentKey(string channel, string userId) => channel + "|" + userId;

    /// <summary>Drops unassigned groups not seen within the retention, then, at the limit, the least recently seen unassigned one.</summary>
    private bool MakeRoom(DateTime now)
    {
        var cutoff = now - _options.UnassignedRetention;
        // A resident's last group is kept no longer than an unassigned group is: it says where they were.
        _residents.DeleteMany(r => r.LastSeen < cutoff);
        foreach (var stale in _groups.Find(g => g.CommunityId == null && g.LastSeen < cutoff).Select(g => g.Key).ToList())
        {
            Forget(stale);
        }

        if (_groups.Count() < _options.MaxGroups)
        {
            return true;
        }

        var oldest = _groups.Find(g => g.CommunityId == null).MinBy(g => g.LastSeen);
        if (oldest is null)
        {
            return false;
        }

        Forget(oldest.Key);
        return true;
    }

    private void Forget(string key)
    {
        _groups.Delete(key);
        _sightings.Forget(key);
        _writer.AfterCommit(_known.Invalidate);
    }

    public IReadOnlyList<ChatGroup> All() =>
        _groups.FindAll().OrderBy(g => g.CommunityId ?? "\uffff", StringComparer.Ordinal).ThenBy(g => g.Label, StringComparer.Ordinal).ToList();

    /// <summary>The group, as a copy the caller may change (from memory outside a write).</summary>
    public ChatGroup? Find(string key) => _writer.OnWriterThread
        ? _groups.FindById(key)
        : _known.Get().GetValueOrDefault(key)?.Copy();

    /// <summary>Sets the console's fields of a group (call on the writer thread); false when there is no such group.</summary>
    public bool Assign(string key, string? name, string? communityId, string? compoundId)
    {
        if (_groups.FindById(key) is not { } group)
        {
            return false;
        }

        group.Name = name;
        group.CommunityId = communityId;
        group.CompoundId = compoundId;
        var updated = _groups.Update(group);
        _writer.AfterCommit(_known.Invalidate);
        return updated;
    }

    public static ConversationReference ReferenceOf(ChatGroup group) =>
        JsonSerializer.Deserialize<ConversationReference>(group.Reference, DialogJson.Options)!;

    // A broadcast addresses the group, not the resident who last spoke there, and threads under no old message;
    // a WeCom response_url is single-use and short-lived, so the group robot webhook is used instead.
    internal static ConversationReference Anonymous(ConversationReference conversation) => conversation with
    {
        UserId = "",
        UserName = "",
        ReplyToId = null,
        Properties = conversation.Properties
            .Where(p => p.Key is not (WeComMessageMapper.ResponseUrlKey or WeComMessageMapper.ResponseUrlExpiresKey))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
    };
}
