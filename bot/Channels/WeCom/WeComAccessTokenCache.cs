namespace CommunityBot.Channels.WeCom;

/// <summary>
/// The app's access_token (protocols B.3), cached until <c>expires_in</c> minus a margin; concurrent callers
/// share one fetch. A singleton: "不能频繁调用gettoken接口".
/// </summary>
public sealed class WeComAccessTokenCache(TimeProvider time)
{
    private readonly SemaphoreSlim _fetchOne = new(1, 1);
    private Entry? _current;

    /// <summary>Returns the cached token, or fetches one with <paramref name="fetchAsync"/> (token, lifetime).</summary>
    /// <param name="stale">A token WeCom just rejected (40014/42001): fetch a new one unless another caller already did.</param>
    public async Task<string> GetAsync(
        Func<CancellationToken, Task<(string Token, TimeSpan Lifetime)>> fetchAsync,
        TimeSpan margin,
        string? stale,
        CancellationToken cancellationToken)
    {
        if (Current(stale) is { } cached)
        {
            return cached;
        }

        await _fetchOne.WaitAsync(cancellationToken);
        try
        {
            if (Current(stale) is { } fetchedMeanwhile)
            {
                return fetchedMeanwhile;
            }

            var (token, lifetime) = await fetchAsync(cancellationToken);
            Volatile.Write(ref _current, new Entry(token, time.GetUtcNow() + (lifetime > margin ? lifetime - margin : lifetime / 2)));
            return token;
        }
        finally
        {
            _fetchOne.Release();
        }
    }

    private string? Current(string? stale)
    {
        var current = Volatile.Read(ref _current);
        return current is not null && current.Token != stale && time.GetUtcNow() < current.RefreshAt ? current.Token : null;
    }

    private sealed record Entry(string Token, DateTimeOffset RefreshAt);
}
