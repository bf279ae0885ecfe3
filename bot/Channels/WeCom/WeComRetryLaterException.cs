namespace CommunityBot.Channels.WeCom;

/// <summary>
/// A send was not attempted (or refused) because of a WeCom rate limit; the outbox keeps the message and
/// retries it later. <see cref="RetryAfter"/> is the earliest time a retry can succeed.
/// </summary>
public sealed class WeComRetryLaterException(string message, TimeSpan retryAfter) : Exception(message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
