namespace CommunityBot.Channels;

/// <summary>
/// The channel itself asked to wait (Teams/Connector 429 with Retry-After; WeCom's rate-limit errcodes and the WeCom
/// client's own per-robot and per-member limits). The outbox keeps the message and tries it again after
/// <see cref="RetryAfter"/>, without counting a failed attempt: a rate limit never drops a message.
/// </summary>
/// <param name="message">What was limited; never the text that was being sent.</param>
/// <param name="retryAfter">How long the channel asked to wait; null when it did not say (the outbox backs off).</param>
/// <param name="scope">
/// Who waits, for the log: "conversation" (Teams limits each conversation), or the WeCom robot, member or API whose
/// limit was hit. A wider scope than the conversation is kept by the client (WeComSendLedger), which refuses the
/// other conversations under it at once without a call.
/// </param>
public sealed class ChannelRetryLaterException(string message, TimeSpan? retryAfter, string scope) : Exception(message)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;

    public string Scope { get; } = scope;
}
