using System.Collections.Concurrent;

namespace CommunityBot.Notifications;

/// <summary>
/// Keeps, per channel, how its last sends went: the readiness check calls a channel failing when its last few sends in a
/// row failed. In memory only; a restart starts afresh, as a health state should.
/// </summary>
public sealed class DeliveryMonitor(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, ChannelDeliveryState> _channels = new(StringComparer.Ordinal);

    /// <summary>Records how a send to <paramref name="channel"/> ended; <paramref name="failure"/> names a failure's kind.</summary>
    public void Record(string channel, DeliveryOutcome outcome, string? failure = null)
    {
        var now = time.GetUtcNow();
        _channels.AddOrUpdate(
            channel,
            static (key, arg) => Apply(new ChannelDeliveryState(key, 0, null, null, null, null), arg.outcome, arg.failure, arg.now),
            static (_, state, arg) => Apply(state, arg.outcome, arg.failure, arg.now),
            (outcome, failure, now));
    }

    /// <summary>Every channel that has been sent to since start, by name.</summary>
    public IReadOnlyList<ChannelDeliveryState> Channels() => [.. _channels.Values.OrderBy(c => c.Channel, StringComparer.Ordinal)];

    private static ChannelDeliveryState Apply(ChannelDeliveryState state, DeliveryOutcome outcome, string? failure, DateTimeOffset now) => outcome switch
    {
        DeliveryOutcome.Delivered => state with { ConsecutiveFailures = 0, LastDeliveredAt = now },
        DeliveryOutcome.RateLimited => state with { LastRateLimitedAt = now },
        _ => state with { ConsecutiveFailures = state.ConsecutiveFailures + 1, LastFailedAt = now, LastFailure = failure ?? outcome.ToString() },
    };
}
