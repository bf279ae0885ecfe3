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

    /// <summary>The body of <c>GET /api/local/demo</c>.</summary>
    public static DemoSetup Describe(string botName) => new(
        botName,
        Residents,
        [
            new DemoConversation(GroupId, GroupName, true, [.. Residents.Select(r => r.UserId)]),
            .. Residents.Select(r => new DemoConversation(
                PrivateConversationId(r.UserId), $"{r.UserName} 与 {botName} 的私聊", false, [r.UserId])),
        ]);

    /// <summary>A demo resident the page can speak as.</summary>
    public sealed record DemoResident(string UserId, string UserName);

    /// <summary>A demo conversation: the group, or one resident's private chat with the bot.</summary>
    public sealed record DemoConversation(string Id, string Name, bool IsGroup, IReadOnlyList<string> Members);

    /// <summary>Everything the page needs to offer the demo.</summary>
    public sealed record DemoSetup(string BotName, IReadOnlyList<DemoResident> Residents, IReadOnlyList<DemoConversation> Conversations);
}
