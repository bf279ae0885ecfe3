using System.ComponentModel.DataAnnotations;

namespace CommunityBot.Channels.WebChat;

/// <summary>Settings of the local chat page (section <c>WebChat</c>), the channel a newcomer tries first.</summary>
public sealed class WebChatOptions
{
    public const string SectionName = "WebChat";

    /// <summary>
    /// Serves the page and its API, to this machine only: on a non-loopback binding they are absent (404), and a
    /// request through a proxy or from another address is not served (see <see cref="HostExposure"/>).
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Also serves the page and its API on a non-loopback binding and to other machines (a demo on a LAN), with a
    /// warning at every start. Such callers are unauthenticated: they chat as residents only, never as a directory
    /// worker, and do not register groups.
    /// </summary>
    public bool AllowRemote { get; set; }

    /// <summary>The name residents @-mention in the demo group, and the name the bot's bubbles carry.</summary>
    [Required, MaxLength(32)]
    public string BotName { get; set; } = "小灵通";

    /// <summary>Oldest messages of a conversation are dropped beyond this many.</summary>
    [Range(10, 100_000)]
    public int MaxMessagesPerConversation { get; set; } = 500;

    /// <summary>The least recently active conversation is dropped beyond this many.</summary>
    [Range(1, 100_000)]
    public int MaxConversations { get; set; } = 1_000;

    /// <summary>The longest a long poll is held open, whatever the page asks for.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan MaxPollWait { get; set; } = TimeSpan.FromSeconds(25);
}
