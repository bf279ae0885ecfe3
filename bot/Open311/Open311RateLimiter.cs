using Microsoft.Extensions.Options;

namespace CommunityBot.Open311;

/// <summary>
/// A fixed window of POSTs per API key on <see cref="TimeProvider"/> (so tests move time instead of waiting): one
/// client cannot flood the grid workers with tickets.
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
}
