using System.Collections.Concurrent;

namespace CommunityBot.Channels.WeCom;

/// <summary>
/// Shared state of outgoing WeCom calls (a singleton; the typed <see cref="WeComClient"/> is transient): per-key
/// sliding-minute windows for the send limits, APIs blocked after 45009, and response_urls already used.
/// </summary>
public sealed class WeComSendLedger(TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, Queue<DateTimeOffset>> _windows = new(StringComparer.Ordinal);
    private readonly Lock _windowsLock = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _blockedUntil = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _usedResponseUrls = new(StringComparer.Ordinal);

    /// <summary>
    /// Takes one send from the key's sliding minute, or returns how long to wait. A sliding window is the safe
    /// reading of "20条/分钟": WeCom does not say whether the minute is sliding or calendar (protocols D.5).
    /// </summary>
    public TimeSpan? TryAcquire(string key, int perMinute)
    {
        var now = time.GetUtcNow();
        lock (_windowsLock)
        {
            if (!_windows.TryGetValue(key, out var sent))
            {
                _windows[key] = sent = new Queue<DateTimeOffset>();
            }

            while (sent.Count > 0 && sent.Peek() <= now - Window)
            {
                sent.Dequeue();
            }

            if (sent.Count >= perMinute)
            {
                return sent.Peek() + Window - now;
            }

            sent.Enqueue(now);
            return null;
        }
    }

    /// <summary>Stops calls under <paramref name="key"/> for <paramref name="backoff"/> (after 45009/45033).</summary>
    public void Block(string key, TimeSpan backoff) => _blockedUntil[key] = time.GetUtcNow() + backoff;

    /// <summary>How long calls under the key are still blocked, or null.</summary>
    public TimeSpan? BlockedFor(string key)
    {
        if (_blockedUntil.TryGetValue(key, out var until))
        {
            var left = until - time.GetUtcNow();
            if (left > TimeSpan.Zero)
            {
                return left;
            }

            _blockedUntil.TryRemove(key, out _);
        }

        return null;
    }

    /// <summary>Claims a response_url for one call ("每个 response_url 用户可以调用接口一次"); false if it was used.</summary>
    public bool TryClaimResponseUrl(string url, DateTimeOffset expires)
    {
        var now = time.GetUtcNow();
        foreach (var (old, until) in _usedResponseUrls)
        {
            if (until < now)
            {
                _usedResponseUrls.TryRemove(old, out _);
            }
        }

        return _usedResponseUrls.TryAdd(url, expires);
    }

    /// <summary>Gives a claimed response_url back when the call failed before WeCom could use it.</summary>
    public void ReleaseResponseUrl(string url) => _usedResponseUrls.TryRemove(url, out _);
}
