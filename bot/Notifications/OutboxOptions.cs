using System.ComponentModel.DataAnnotations;

namespace CommunityBot.Notifications;

/// <summary>How the outbox delivers, retries, paces bulk sends and keeps what failed.</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Outbox";

    /// <summary>Failed attempts before a message is given up on (a channel's "retry later" never counts as one).</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The first retry waits this long; each further one twice as long, up to <see cref="MaxRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The wait before the next try of a message that has failed <paramref name="attempts"/> times (1 or more).</summary>
    public TimeSpan RetryDelay(int attempts) => TimeSpan.FromTicks(Math.Min(
        FirstRetryDelay.Ticks * (1L << Math.Clamp(attempts - 1, 0, 20)),
        MaxRetryDelay.Ticks));

    /// <summary>The longest the dispatcher sleeps when nothing wakes it (a new message wakes it at once).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many conversations are sent to at once (each conversation stays in order).</summary>
    [Range(1, 1024)]
    public int MaxParallelConversations { get; set; } = 32;

    /// <summary>How long one send may take before it counts as a failed attempt (a hanging endpoint holds up only its conversation).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long failed messages are kept for staff to see (管理台 投递失败) before the hourly cleanup purges them.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan FailedRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Bulk messages (broadcasts, reminders in batches) sent per second per channel; unlisted channels are not paced.
    /// Teams allows 50 requests a second per app per tenant, replies included; WeCom 10,000 calls a minute per API per
    /// company. Replies are never paced: they go first and only a channel's own "retry later" holds them back.
    /// </summary>
    public Dictionary<string, int> BulkMessagesPerSecond { get; set; } = new(StringComparer.Ordinal)
    {
        ["msteams"] = 20,
        ["wecom"] = 20,
    };

    /// <summary>
    /// The least time between two bulk messages to the same conversation of a paced channel (Teams: 7 a second and 60 per
    /// 30 s per conversation). WeCom's 20 a minute per group robot and 30 a minute per member are kept by the WeCom client.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan BulkConversationInterval { get; set; } = TimeSpan.FromSeconds(1);
}
