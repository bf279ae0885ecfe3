namespace CommunityBot.Notifications;

/// <summary>
/// Paces bulk sends per channel (<see cref="OutboxOptions.BulkMessagesPerSecond"/>): a token bucket that fills at the
/// channel's rate and holds one second's worth. Replies never take from it. Channels without a rate are not paced.
/// Not thread-safe: the dispatcher calls it under its lock.
/// </summary>
public sealed class ChannelPacer(TimeProvider time, OutboxOptions options)
{
    private readonly Dictionary<string, (double Tokens, DateTimeOffset At)> _buckets = new(StringComparer.Ordinal);

    /// <summary>Takes one bulk send from <paramref name="channel"/>; otherwise returns how long until one is free.</summary>
    public TimeSpan? TryTake(string channel)
    {
        if (!options.BulkMessagesPerSecond.TryGetValue(channel, out var perSecond) || perSecond <= 0)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var (tokens, at) = _buckets.TryGetValue(channel, out var bucket) ? bucket : (perSecond, now);
        tokens = Math.Min(perSecond, tokens + Math.Max(0, (now - at).TotalSeconds) * perSecond);
        if (tokens < 1)
        {
            _buckets[channel] = (tokens, now);
            return TimeSpan.FromSeconds((1 - tokens) / perSecond);
        }

        _buckets[channel] = (tokens - 1, now);
        return null;
    }

    /// <summary>True when the channel's bulk sends are paced (and so spaced per conversation too).</summary>
    public bool Paces(string channel) => options.BulkMessagesPerSecond.TryGetValue(channel, out var perSecond) && perSecond > 0;
}
