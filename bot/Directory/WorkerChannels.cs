namespace CommunityBot.Directory;

/// <summary>Channel names for <see cref="DirectorySnapshot.FindWorker"/>.</summary>
public static class WorkerChannels
{
    /// <summary>Teams channel account id ("29:…").</summary>
    public const string Teams = "msteams";

    /// <summary>Microsoft Entra object id (any Microsoft channel).</summary>
    public const string AadObject = "aad";

    /// <summary>The WeCom userid.</summary>
    public const string WeCom = "wecom";

    /// <summary>The local web chat page (<c>WebChatMapper.ChannelId</c>).</summary>
    public const string WebChat = "local";
}
