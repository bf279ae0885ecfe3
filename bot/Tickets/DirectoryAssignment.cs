using CommunityBot.Channels.WebChat;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Directory;

namespace CommunityBot.Tickets;

/// <summary>
/// The ticket desk's view of the grid directory: routing through <see cref="TicketRouter"/>, workers found by their
/// channel identities, and the private address of a worker on each channel.
/// </summary>
public sealed class DirectoryAssignment(GridDirectory directory, TicketRouter router) : ITicketAssignment
{
    /// <summary>The channel name of an action taken in the admin console; its user id is the worker id.</summary>
    public const string AdminChannel = "admin";

    public Assignment Assign(string? compoundId, string? building, string category, DateTimeOffset at)
    {
        var decision = router.Route(compoundId, building, category, at);
        var level = decision.Level switch
        {
            RoutingLevel.Grid => TicketLevel.Grid,
            RoutingLevel.Community => TicketLevel.Community,
            _ => TicketLevel.Street,
        };
        // Nobody named at that level: the ticket waits in the office's queue under the office's name.
        var name = decision.Worker?.Name ?? decision.Community?.Name ?? directory.Current.Data.StreetOffice.Name;
        return new Assignment(
            decision.GridId, decision.Worker?.Id ?? "", name, level, decision.CoHandlers.Select(d => d.Id).ToList(), decision.Reason);
    }

    public Assignment Supervisor(string? gridId, DateTimeOffset at)
    {
        var current = directory.Current;
        if (gridId is not null && current.Grids.TryGetValue(gridId, out var grid)
            && current.AvailableStaffOf(grid.Community, at) is { } staff)
        {
            return new Assignment(gridId, staff.Id, staff.Name, TicketLevel.Community, [], $"转{current.Communities.GetValueOrDefault(grid.Community)?.Name ?? "社区"}{staff.Name}");
        }

        var office = current.Data.StreetOffice.Name;
        var street = current.AvailableStreetStaff(at);
        return new Assignment(gridId, street?.Id ?? "", street?.Name ?? office, TicketLevel.Street, [], $"转{office}{street?.Name}");
    }

    public WorkerIdentity? FindWorkerNamed(string text)
    {
        var worker = directory.Current.Data.Workers
            .Where(w => w.Name.Length > 0 && text.Contains(w.Name, StringComparison.Ordinal))
            .MaxBy(w => w.Name.Length);
        return worker is null ? null : new WorkerIdentity(worker.Id, worker.Name, LevelOf(worker.Role));
    }

    public WorkerIdentity? FindWorker(string channel, string userId)
    {
        // The admin console acts as the directory worker its account is linked to, by worker id.
        var worker = channel == AdminChannel
            ? directory.Current.Workers.GetValueOrDefault(userId)
            : directory.Current.FindWorker(ChannelName(channel), userId);
        return worker is null ? null : new WorkerIdentity(worker.Id, worker.Name, LevelOf(worker.Role));
    }

    public ConversationReference? PrivateAddressOf(string workerId, ConversationReference origin)
    {
        if (!directory.Current.Workers.TryGetValue(workerId, out var worker))
        {
            return null;
        }

        switch (ChannelName(origin.Channel))
        {
            case WorkerChannels.WebChat when worker.WebChatUserId is { } user:
                return new ConversationReference
                {
                    Channel = WebChatMapper.ChannelId,
                    ConversationId = WebChatDemo.PrivateConversationId(user),
                    UserId = user,
                    UserName = worker.Name,
                    BotId = origin.BotId,
                    BotName = origin.BotName,
                };
            case WorkerChannels.Teams when worker.TeamsUserId is { } user && origin.ServiceUrl is not null:
                // No conversation id yet: the Connector client opens (and remembers) the 1:1 conversation.
                return new ConversationReference
                {
                    Channel = origin.Channel,
                    ConversationId = "",
                    UserId = user,
                    UserName = worker.Name,
                    BotId = origin.BotId,
                    BotName = origin.BotName,
                    ServiceUrl = origin.ServiceUrl,
                    TenantId = worker.TenantId ?? origin.TenantId,
                };
            case WorkerChannels.WeCom when worker.WeComUserId is { } user:
                return new ConversationReference
                {
                    Channel = origin.Channel,
                    ConversationId = user,
                    UserId = user,
                    UserName = worker.Name,
                    Properties = new Dictionary<string, string> { ["chattype"] = "single", ["to"] = "app" },
                };
            // A report from an API (Open311) has no chat: its origin names the channel that reaches workers.
            case var other when origin.Properties.TryGetValue("workerChannel", out var channel) && channel != other:
                return PrivateAddressOf(workerId, origin with { Channel = channel });
            default:
                return null;
        }
    }

    /// <summary>Maps a conversation's channel id to the directory's identity kind (Teams' channel id is "msteams").</summary>
    private static string ChannelName(string channel) => channel switch
    {
        "msteams" => WorkerChannels.Teams,
        WebChatMapper.ChannelId => WorkerChannels.WebChat,
        "wecom" => WorkerChannels.WeCom,
        _ => channel,
    };

    private static TicketLevel LevelOf(WorkerRole role) => role switch
    {
        WorkerRole.Grid => TicketLevel.Grid,
        WorkerRole.Community => TicketLevel.Community,
        _ => TicketLevel.Street,
    };
}
