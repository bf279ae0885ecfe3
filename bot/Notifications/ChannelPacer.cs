namespace CommunityBot.Notifications;

/// <summary>
/// A sliding-minute send budget per channel (<see cref="OutboxOptions.ChannelMessagesPerMinute"/>), so that a
/// broadcast to many groups goes out at a pace the channel accepts instead of all at once. Channels without a
/// configured budget are not paced. Per-robot and per-member limits stay in the channel clients (WeComClient).
/// </summary>
public sealed class ChannelPacer(TimeProvider time, OutboxOptions options)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, Queue<DateTimeOffset>> _sent = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Takes one send from <paramref name="channel"/>'s minute; false when the budget is used up for now.</summary>
    public bool TryTake(string channel)
    {
        if (!options.ChannelMessagesPerMinute.TryGetValue(channel, out var perMinute) || perMinute <= 0)
        {
            return true;
        }

        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (!_sent.TryGetValue(channel, out var sent))
            {
                _sent[channel] = sent = new Queue<DateTimeOffset>();
            }

            while (sent.Count > 0 && sent.Peek() <= now - Window)
            {
                sent.Dequeue();
            }

            if (sent.Count >= perMinute)
            {
                return false;
            }

            sent.Enqueue(now);
            return true;
        }
    }
}
