using System.Text.Json;
using CommunityBot.Channels;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Engine;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace CommunityBot.Notifications;

/// <summary>
/// One send of outbox entries through their channel's client, and what came of it, for both dispatchers (LiteDB's
/// <see cref="OutboxDispatcher"/> and PostgreSQL's <see cref="PostgresOutboxDispatcher"/>): the client found by channel,
/// the stored address and messages read, the send bounded by <see cref="OutboxOptions.SendTimeout"/>, and the channel's
/// answer sorted into delivered, retry later (a 429: no failed attempt), rejected (fail at once) or failed (an attempt).
/// It logs and observes the failures (health, metrics); the dispatcher records what it stores.
/// </summary>
public sealed partial class ChannelSender(
    IEnumerable<IChannelClient> clients,
    OutboxOptions options,
    TimeProvider time,
    ILogger logger,
    DeliveryMonitor? monitor = null,
    Metrics.BotMetrics? metrics = null)
{
    // A 429 without Retry-After: exponential backoff with jitter from this, per conversation (not a failed attempt).
    private static readonly TimeSpan ThrottleBaseDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ThrottleMaxDelay = TimeSpan.FromMinutes(1);
    // "Retry-After: 0" still waits a moment, so a channel that keeps saying it cannot spin the dispatcher.
    private static readonly TimeSpan MinRetryLater = TimeSpan.FromMilliseconds(100);

    private readonly IChannelClient[] _clients = clients.ToArray();

    /// <summary>Whether the client of <paramref name="channel"/> takes several replies to one address as one send.</summary>
    public bool Batches(string channel) => Array.Find(_clients, c => c.Handles(channel)) is IBatchingChannelClient;

    /// <summary>
    /// Sends <paramref name="batch"/> (one entry, or several replies to the same address for a batching client). Throws
    /// only <see cref="OperationCanceledException"/>, when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async Task<SendResult> SendAsync(IReadOnlyList<OutboxMessage> batch, CancellationToken cancellationToken)
    {
        var entry = batch[0];
        var client = Array.Find(_clients, c => c.Handles(entry.Channel));
        try
        {
            if (client is null)
            {
                throw new ChannelDeliveryRejectedException($"No channel client delivers to '{entry.Channel}'.");
            }

            ConversationReference to;
            List<OutboundMessage> messages;
            try
            {
                to = JsonSerializer.Deserialize<ConversationReference>(entry.To, DialogJson.Options)!;
                messages = batch.Select(m => JsonSerializer.Deserialize<OutboundMessage>(m.Message, DialogJson.Options)!).ToList();
            }
            catch (JsonException ex)
            {
                throw new ChannelDeliveryRejectedException("The stored address or message cannot be read.", ex);
            }

            using var timeout = new CancellationTokenSource(options.SendTimeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                if (messages.Count > 1 && client is IBatchingChannelClient batching)
                {
                    await batching.SendAsync(to, messages, linked.Token);
                }
                else
                {
                    await client.SendAsync(to, messages[0], linked.Token);
                }
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The send took longer than {options.SendTimeout}.");
            }
        }
        catch (ChannelRetryLaterException ex)
        {
            Observe(entry.Channel, DeliveryOutcome.RateLimited, 1, null);
            return new SendResult(SendStatus.RetryLater, ex.Message, ex.RetryAfter, ex.Scope);
        }
        catch (ChannelDeliveryRejectedException ex)
        {
            LogUndeliverable(ex, entry.Channel);
            Observe(entry.Channel, DeliveryOutcome.Undeliverable, 1, "rejected");
            return new SendResult(SendStatus.Rejected, ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogDeliveryFailed(ex, entry.Channel, entry.Attempts + 1);
            // The kind only, never the text: an error's message can carry an address or a webhook key.
            Observe(entry.Channel, DeliveryOutcome.Failed, 1, ex is TimeoutException ? "timeout" : ex.GetType().Name);
            return new SendResult(SendStatus.Failed, ex.Message);
        }

        return new SendResult(SendStatus.Delivered);
    }

    /// <summary>Observes a delivered batch (health, metrics); <paramref name="deliveredAt"/> ends each reply's latency.</summary>
    public void RecordDelivered(IReadOnlyList<OutboxMessage> batch, DateTime deliveredAt)
    {
        Observe(batch[0].Channel, DeliveryOutcome.Delivered, batch.Count, null);
        if (metrics is not null)
        {
            foreach (var message in batch.Where(m => !m.Bulk))
            {
                metrics.AnswerDelivered(message.Channel, deliveredAt > message.CreatedAt ? deliveredAt - message.CreatedAt : TimeSpan.Zero);
            }
        }
    }

    /// <summary>
    /// How long a conversation waits after a channel's "retry later": what the channel asked for, else a backoff with jitter
    /// over the <paramref name="throttles"/> answers in a row before this one; never less than a moment.
    /// </summary>
    public static TimeSpan RetryLaterWait(TimeSpan? retryAfter, int throttles)
    {
        var wait = retryAfter ?? Backoff(throttles);
        return wait > MinRetryLater ? wait : MinRetryLater;
    }

    private static TimeSpan Backoff(int throttles)
    {
        var backoff = ThrottleBaseDelay * Math.Pow(2, Math.Min(throttles, 10));
        backoff += backoff * (Random.Shared.NextDouble() * 0.25);
        return backoff > ThrottleMaxDelay ? ThrottleMaxDelay : backoff;
    }

    private void Observe(string channel, DeliveryOutcome outcome, int messages, string? failure)
    {
        monitor?.Record(channel, outcome, failure);
        metrics?.Delivery(channel, outcome, messages);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message to {Channel} is undeliverable; failed without retrying")]
    private partial void LogUndeliverable(Exception exception, string channel);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery to {Channel} failed (attempt {Attempt})")]
    private partial void LogDeliveryFailed(Exception exception, string channel, int attempt);
}

/// <summary>What a send came to.</summary>
public enum SendStatus
{
    /// <summary>The channel took it.</summary>
    Delivered,

    /// <summary>The channel asked to wait (<see cref="SendResult.RetryAfter"/>, if it said how long): no failed attempt.</summary>
    RetryLater,

    /// <summary>It can never be delivered (no client, an unreadable entry, the channel refused it): fail it at once.</summary>
    Rejected,

    /// <summary>An error or a timeout: a failed attempt, retried with backoff.</summary>
    Failed,
}

/// <summary>A send's outcome, with the error text to store (never shown to residents) and a channel's wait.</summary>
public readonly record struct SendResult(SendStatus Status, string? Error = null, TimeSpan? RetryAfter = null, string? Scope = null);
