namespace CommunityBot.Notifications;

/// <summary>How one send to a channel ended (metrics and <see cref="DeliveryMonitor"/>).</summary>
public enum DeliveryOutcome
{
    Delivered,
    /// <summary>An error or a timeout: retried with backoff.</summary>
    Failed,
    /// <summary>The channel can never take it (refused, no client, unreadable entry): failed at once.</summary>
    Undeliverable,
    /// <summary>The channel asked to wait (429, WeCom's rate limits): held, not an attempt.</summary>
    RateLimited,
}
