using System.ComponentModel.DataAnnotations;

namespace CommunityBot.Channels.WebChat;

/// <summary>Settings of the local chat page (section <c>WebChat</c>), the channel a newcomer tries first.</summary>
public sealed class WebChatOptions
{
    public const string SectionName = "WebChat";

    /// <summary>Serves the page and its API; turn it off on a public deployment that only talks to real channels.</summary>
    public bool Enabled { get; set; } = true;

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
