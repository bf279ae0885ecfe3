using System.Collections.Concurrent;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Directory;
using CommunityBot.Dialogs.Routing;
using CommunityBot.Notifications;
using CommunityBot.Storage;
using CommunityBot.Tickets;

namespace CommunityBot.Broadcasts;

/// <summary>
/// The place a conversation is about, from the group registry: a group's tie (群管理, or a directory worker's pick), and
/// for a private chat the tie of the resident's last group. Offers a directory worker heard in an untied group the
/// compounds to tie it to, in their private chat (residents never see the card), once per group and worker.
/// </summary>
public sealed partial class GroupPlaces(
    GroupRegistry groups,
    IDirectory directory,
    ITicketAssignment workers,
    Outbox outbox,
    LiteDbWriter writer,
    IConversationMemory memory,
    ILogger<GroupPlaces> logger) : IGroupPlaces
{
    // Offers already made (also kept in the store): a worker chatting in an untied group costs no write per message.
    private readonly ConcurrentDictionary<string, byte> _offered = new(StringComparer.Ordinal);

    public GroupPlace? DefaultFor(ConversationReference conversation)
    {
        var group = conversation.IsGroup
            ? groups.Find(GroupRegistry.KeyOf(conversation.Channel, conversation.ConversationId))
            : conversation.UserId.Length > 0 ? groups.LastGroupOf(conversation.Channel, conversation.UserId) : null;
        if (group is null)
        {
            return null;
        }

        // A tie counts for what the directory still has: a compound it no longer lists is no default place.
        var compounds = directory.Compounds();
        var fromLastGroup = !conversation.IsGroup;
        if (group.CompoundId is { } compoundId && compounds.FirstOrDefault(c => c.Id == compoundId) is { } compound)
        {
            return new GroupPlace(compound.Id, compound.Name, compound.Community, fromLastGroup, group.CommunityId ?? compound.CommunityId);
        }

        // Tied to a community only: the community narrows the compounds offered, and picks its FAQ variants.
        return group.CommunityId is { } communityId
            ? new GroupPlace(null, null, compounds.FirstOrDefault(c => c.CommunityId == communityId)?.Community, fromLastGroup, communityId)
            : null;
    }

    public async Task OfferTieAsync(InboundMessage message, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (!message.Authenticated || !message.IsGroup || message.UserId.Length == 0
            || workers.FindWorker(message.Channel, message.UserId) is not { } worker)
        {
            return;
        }

        var key = GroupRegistry.KeyOf(message.Channel, message.Conversation.ConversationId);
        var group = groups.Find(key);
        var compounds = directory.Compounds();
        if (group?.CompoundId is not null || compounds.Count == 0)
        {
            return;
        }

        var mark = $"group-tie-offer/{key}/{worker.Id}";
        if (_offered.ContainsKey(mark) || !await memory.MarkOnceAsync(mark, cancellationToken))
        {
            _offered.TryAdd(mark, 0);
            return;
        }

        _offered.TryAdd(mark, 0);
        if (workers.PrivateAddressOf(worker.Id, message.Conversation) is not { } privateChat)
        {
            return;
        }

        var label = group?.Label
            ?? (message.Conversation.Properties.TryGetValue(GroupRegistry.NameProperty, out var name) && name.Trim().Length > 0 ? name.Trim() : null);
        var where = label is null ? "您刚才发言的群" : $"群「{label}」";
        // The group's community first when the console named one; the last button (以后再说) survives WeCom's cut to six.
        var offered = compounds
            .OrderBy(c => group?.CommunityId is { } community && c.CommunityId == community ? 0 : 1)
            .Select(c => new CardAction(c.Name, TurnRouter.TieButton(c.Id, key)))
            .Append(new CardAction("以后再说", TurnRouter.TieLater));
        await outbox.SendAsync(privateChat, new OutboundMessage
        {
            Title = "设置群所在小区",
            Text = $"{worker.Name}您好：{where}还没有设置所在的小区。请选一个，居民在群里反映问题时就默认是这个小区，不用再问。" +
                "（只需设置一次；以后可以在管理后台「群管理」里改。）",
            Buttons = offered.ToList(),
        }, cancellationToken);
        LogOffered(key, worker.Id);
    }

    public async Task<string> TieAsync(InboundMessage message, string groupKey, string compoundId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (!message.Authenticated || workers.FindWorker(message.Channel, message.UserId) is not { } worker)
        {
            return "只有网格员和社区工作人员可以设置群所在的小区。";
        }

        if (directory.Compounds().FirstOrDefault(c => c.Id == compoundId) is not { } compound)
        {
            return "目录里没有这个小区了，请在管理后台「群管理」里设置。";
        }

        // A worker ties groups of the channel they speak on only; a group not heard yet (or forgotten) cannot be tied.
        var group = groups.Find(groupKey);
        if (group is null || group.Channel != message.Channel)
        {
            return "没找到这个群，请在管理后台「群管理」里设置。";
        }

        var tied = await writer.WriteAsync(_ =>
        {
            // Re-read on the writer thread: a tie made meanwhile (console, another worker) is not overwritten.
            var current = groups.Find(groupKey);
            return current is { CompoundId: null } && groups.Assign(groupKey, current.Name, compound.CommunityId ?? current.CommunityId, compound.Id)
                ? current
                : null;
        });
        if (tied is null)
        {
            var now = groups.Find(groupKey);
            var name = directory.Compounds().FirstOrDefault(c => c.Id == now?.CompoundId)?.Name ?? "别的小区";
            return $"这个群已经设为{name}，要改请到管理后台「群管理」。";
        }

        LogTied(groupKey, compound.Id, worker.Id);
        await outbox.SendAsync(GroupRegistry.ReferenceOf(tied), OutboundMessage.Plain(
            $"本群已设为{compound.Name}的居民群。在群里@我反映问题时，默认是{compound.Name}，说楼号就行。"), cancellationToken);
        return $"已把「{tied.Label}」设为{compound.Name}的居民群。";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Offered worker {WorkerId} to tie group {GroupKey} to a compound")]
    private partial void LogOffered(string groupKey, string workerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Group {GroupKey} tied to compound {CompoundId} by worker {WorkerId}")]
    private partial void LogTied(string groupKey, string compoundId, string workerId);
}
