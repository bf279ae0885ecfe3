namespace CommunityBot.Notifications;

/// <summary>What one channel's sends have done since the process started (the readiness check reads it).</summary>
/// <param name="ConsecutiveFailures">Failed or undeliverable sends in a row, reset by a delivery.</param>
/// <param name="LastFailure">The last failure's kind: <c>timeout</c>, <c>rejected</c> or the error's type name (never its text).</param>
public sealed record ChannelDeliveryState(
    string Channel,
    int ConsecutiveFailures,
    DateTimeOffset? LastDeliveredAt,
    DateTimeOffset? LastFailedAt,
    string? LastFailure,
    DateTimeOffset? LastRateLimitedAt);
