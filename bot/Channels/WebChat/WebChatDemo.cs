using CommunityBot.Directory;

namespace CommunityBot.Channels.WebChat;

/// <summary>The residents and conversations the local chat page offers, so a newcomer can chat at once.</summary>
public static class WebChatDemo
{
    public const string GroupId = "demo-group";
    public const string GroupName = "幸福里小区业主群";

    public static IReadOnlyList<DemoResident> Residents { get; } =
    [
        new("zhang", "张阿姨"),
        new("li", "李先生"),
        new("wang", "王大爷"),
    ];

    public static string PrivateConversationId(string userId) => $"private-{userId}";

    /// <summary>The body of <c>GET /api/local/demo</c>: the residents, then the workers who look after the demo group's compound.</summary>
    public static DemoSetup Describe(string botName, IReadOnlyList<DemoResident>? workers = null)
    {
        IReadOnlyList<DemoResident> speakers = [.. Residents, .. workers ?? []];
        return new(
            botName,
            speakers,
            [
                new DemoConversation(GroupId, GroupName, true, [.. Residents.Select(r => r.UserId)]),
                .. speakers.Select(r => new DemoConversation(
                    PrivateConversationId(r.UserId), $"{r.UserName} 与 {botName} 的私聊", false, [r.UserId])),
            ]);
    }

    /// <summary>
    /// The workers a newcomer can act as on the page: those of the community the demo group's compound belongs to,
    /// and the street office's staff, each with a web chat user id. Worker cards arrive in their private chats.
    /// </summary>
    public static IReadOnlyList<DemoResident> WorkersFor(DirectorySnapshot directory)
    {
        var compound = directory.Data.Compounds.FirstOrDefault(c => GroupName.StartsWith(c.Name, StringComparison.Ordinal));
        return directory.Data.Workers
            .Where(w => w.WebChatUserId is not null && (w.Role == WorkerRole.Street || (compound is not null && w.Community == compound.Community)))
            .OrderBy(w => w.Role)
            .Select(w => new DemoResident(w.WebChatUserId!, w.Name, w.Role switch
            {
                WorkerRole.Grid => "网格员",
                WorkerRole.Community => "社区工作人员",
                _ => "街道工作人员",
            }))
            .ToList();
    }

    /// <summary>A demo speaker the page can act as: a resident, or a worker (<see cref="Role"/> says which).</summary>
    public sealed record DemoResident(string UserId, string UserName, string? Role = null);

    /// <summary>A demo conversation: the group, or one resident's private chat with the bot.</summary>
    public sealed record DemoConversation(string Id, string Name, bool IsGroup, IReadOnlyList<string> Members);

    /// <summary>Everything the page needs to offer the demo.</summary>
    public sealed record DemoSetup(string BotName, IReadOnlyList<DemoResident> Residents, IReadOnlyList<DemoConversation> Conversations);
}
