using System.ComponentModel.DataAnnotations;

namespace CommunityBot.Notifications;

/// <summary>How the outbox retries deliveries.</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Outbox";

    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The first retry waits this long; each further one twice as long, up to <see cref="MaxRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the dispatcher looks for due retries when nothing wakes it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many conversations are delivered to at once (each conversation stays in order).</summary>
    [Range(1, 64)]
    public int MaxParallelConversations { get; set; } = 8;

    /// <summary>
    /// How many messages a channel is sent per minute, over all its conversations (unlisted channels are not paced).
    /// Teams allows a bot about 50 messages a second across conversations; WeCom's APIs about 10,000 calls a minute
    /// per company (each group robot's 20/min is kept by the WeCom client). The defaults stay well below both.
    /// </summary>
    public Dictionary<string, int> ChannelMessagesPerMinute { get; set; } = new(StringComparer.Ordinal)
    {
        ["msteams"] = 1200,
        ["wecom"] = 600,
    };
}
