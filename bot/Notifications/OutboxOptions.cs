using System.ComponentModel.DataAnnotations;

namespace CommunityBot.Notifications;

/// <summary>How the outbox delivers, retries, paces bulk sends and keeps what failed.</summary>
public sealed class OutboxOptions : IValidatableObject
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

    /// <summary>
    /// On PostgreSQL, how long an instance's claim on a conversation's next message lasts: another instance takes the message
    /// over only after this, so it must outlast a send (<see cref="SendTimeout"/>) and the outcome's write, and it is how
    /// long a dead instance's conversations wait. The instances' clocks must agree to well within it. Unset: twice
    /// <see cref="SendTimeout"/> plus 10 s (30 s with the defaults); see <see cref="Lease"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan? ClaimLease { get; set; }

    /// <summary>The claim lease in force: <see cref="ClaimLease"/>, or twice <see cref="SendTimeout"/> plus 10 s.</summary>
    public TimeSpan Lease => ClaimLease ?? (SendTimeout * 2) + TimeSpan.FromSeconds(10);

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

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ClaimLease is { } lease && lease < SendTimeout * 2)
        {
            yield return new ValidationResult(
                $"Outbox:ClaimLease ({ClaimLease}) must be at least twice Outbox:SendTimeout ({SendTimeout}): a claim must outlast a send, or another instance sends the message again while it is still being sent.",
                [nameof(ClaimLease), nameof(SendTimeout)]);
        }
    }
}
