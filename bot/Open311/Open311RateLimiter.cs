using Microsoft.Extensions.Options;

namespace CommunityBot.Open311;

/// <summary>
/// A fixed window of POSTs per API key on <see cref="TimeProvider"/> (so tests move time instead of waiting): one
/// client cannot flood the grid workers with tickets. At most <see cref="Open311Options.MaxRateWindows"/> windows are kept.
/// </summary>
public sealed class Open311RateLimiter(TimeProvider time, IOptions<Open311Options> options)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (DateTimeOffset Start, int Count)> _windows = new(StringComparer.Ordinal);

    /// <summary>Counts one POST for <paramref name="client"/>; false when its window is used up, with the time until the next one.</summary>
    public bool TryAcquire(string client, out TimeSpan retryAfter)
    {
        var now = time.GetUtcNow();
        var window = options.Value.RateWindow;
        lock (_lock)
        {
            if (!_windows.TryGetValue(client, out var current) || now - current.Start >= window)
            {
                current = (now, 0);
                if (_windows.Count >= options.Value.MaxRateWindows && !_windows.ContainsKey(client))
                {
                    Prune(now, window);
                }
            }

            if (current.Count >= options.Value.PostsPerWindow)
            {
                retryAfter = current.Start + window - now;
                _windows[client] = current;
                return false;
            }

            _windows[client] = (current.Start, current.Count + 1);
            retryAfter = TimeSpan.Zero;
            return true;
        }
    }

    /// <summary>How many windows are kept now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _windows.Count;
            }
        }
    }

    /// <summary>Drops the windows that ended; when none has, the one that started first (its client starts over).</summary>
    private void Prune(DateTimeOffset now, TimeSpan window)
    {
        foreach (var (key, value) in _windows)
        {
            if (now - value.Start >= window)
            {
                _windows.Remove(key);
            }
        }

        if (_windows.Count >= options.Value.MaxRateWindows)
        {
            _windows.Remove(_windows.MinBy(pair => pair.Value.Start).Key);
        }
    }
}
