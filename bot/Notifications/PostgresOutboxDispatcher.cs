using CommunityBot.Channels;
using CommunityBot.Storage;
using CommunityBot.Storage.Postgres;
using Microsoft.Extensions.Options;

namespace CommunityBot.Notifications;

/// <summary>
/// Delivers the shared PostgreSQL outbox from one of several instances. Work is taken only by claims
/// (<see cref="PostgresOutbox.ClaimAsync"/>): a lease of <see cref="OutboxOptions.Lease"/> on the head of each of up
/// to <see cref="OutboxOptions.MaxParallelConversations"/> conversations, so a conversation is sent to by one instance at a
/// time and in order, and a dead instance's leases run out for the others. Each claim ends in exactly one of:
/// <list type="bullet">
/// <item>delivered: <see cref="PostgresOutbox.CompleteAsync"/> (false when the lease ran out and another instance took the
/// entry over: it sends it again, at least once);</item>
/// <item>a channel's "retry later": <see cref="PostgresOutbox.ReleaseAsync"/> until the wait it asked for (no attempt; the
/// conversation waits behind its head);</item>
/// <item>rejected: <see cref="PostgresOutbox.FailAsync"/>; failed or timed out: <see cref="PostgresOutbox.RetryLaterAsync"/>
/// (an attempt, with backoff);</item>
/// <item>shutting down before or during its send: released at once, for another instance to take.</item>
/// </list>
/// Bulk entries are paced per channel (<see cref="ChannelPacer"/>) and per conversation by this instance only: two instances
/// together may send bulk up to twice the configured rate. Claims lease one entry per conversation, so a batching client
/// (WeCom) gets one reply per send here. Throttle backoff and bulk spacing are remembered in memory per conversation.
/// </summary>
public sealed partial class PostgresOutboxDispatcher(
    PostgresOutbox outbox,
    IEnumerable<IChannelClient> clients,
    IOptions<OutboxOptions> options,
    TimeProvider time,
    ILogger<PostgresOutboxDispatcher> logger,
    string instanceId,
    DeliveryMonitor? monitor = null,
    Metrics.BotMetrics? metrics = null)
{
    private readonly OutboxOptions _options = options.Value;
    private readonly ChannelSender _sender = new(clients, options.Value, time, logger, monitor, metrics);
    private readonly ChannelPacer _pacer = new(time, options.Value);
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ConversationPace> _paces = new(StringComparer.Ordinal);

    /// <summary>The name this instance's leases carry.</summary>
    public string InstanceId { get; } = instanceId;

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>
    /// Claims and delivers, round after round, until nothing is claimable now; returns how many entries were delivered
    /// (tests, the CLI). A round's sends run at once and the next round waits for all of them.
    /// </summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var delivered = 0;
        while (true)
        {
            var claims = await outbox.ClaimAsync(InstanceId, _options.MaxParallelConversations, _options.Lease, cancellationToken);
            if (claims.Count == 0)
            {
                return delivered;
            }

            var outcomes = await Task.WhenAll(claims.Select(c => DeliverAsync(c, cancellationToken)));
            delivered += outcomes.Count(o => o);
        }
    }

    /// <summary>
    /// The background loop: keeps up to <see cref="OutboxOptions.MaxParallelConversations"/> sends in flight, claiming as
    /// slots free up, when <paramref name="wake"/> is signalled (a commit's NOTIFY, and each finished send, which frees a slot
    /// and may have made its conversation's next entry the head) or every <see cref="OutboxOptions.PollInterval"/>. On
    /// cancellation the sends in flight are cancelled and their claims released.
    /// </summary>
    public async Task RunAsync(WorkSignal wake, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(wake);
        var running = new HashSet<Task>();
        while (!cancellationToken.IsCancellationRequested)
        {
            var claimedAll = false;
            try
            {
                running.RemoveWhere(t => t.IsCompleted);
                var free = _options.MaxParallelConversations - running.Count;
                if (free > 0)
                {
                    var claims = await outbox.ClaimAsync(InstanceId, free, _options.Lease, cancellationToken);
                    foreach (var claim in claims)
                    {
                        running.Add(Task.Run(async () =>
                        {
                            try
                            {
                                await DeliverAsync(claim, cancellationToken);
                            }
                            finally
                            {
                                wake.Wake();
                            }
                        }, CancellationToken.None));
                    }

                    // Every free slot taken: more may be due at once, as soon as a slot frees.
                    claimedAll = claims.Count == free;
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                LogClaimFailed(ex);
            }

            try
            {
                var slotsFull = running.Count(t => !t.IsCompleted) >= _options.MaxParallelConversations;
                if (claimedAll && !slotsFull)
                {
                    continue;
                }

                await wake.WaitAsync(_options.PollInterval, time, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        await Task.WhenAll(running);
    }

    /// <summary>Sends one claimed entry and records the outcome under its lease; true when the channel took it.</summary>
    private async Task<bool> DeliverAsync(OutboxClaim claim, CancellationToken cancellationToken)
    {
        var entry = claim.Message;
        try
        {
            if (entry.Bulk && HoldBulk(entry) is { } notBefore)
            {
                await outbox.ReleaseAsync(claim, notBefore, CancellationToken.None);
                return false;
            }

            var result = await _sender.SendAsync([entry], cancellationToken);
            switch (result.Status)
            {
                case SendStatus.Delivered:
                    var deliveredAt = Now;
                    Delivered(entry);
                    if (!await outbox.CompleteAsync(claim, CancellationToken.None))
                    {
                        LogLeaseTakenOver(entry.Channel);
                    }

                    _sender.RecordDelivered([entry], deliveredAt);
                    return true;
                case SendStatus.RetryLater:
                    var wait = Throttled(entry.ConversationKey, result.RetryAfter);
                    LogRetryLater(entry.Channel, result.Scope ?? "", wait);
                    await outbox.ReleaseAsync(claim, Now + wait, CancellationToken.None);
                    return false;
                case SendStatus.Rejected:
                    await outbox.FailAsync(claim, result.Error ?? "", CancellationToken.None);
                    return false;
                default:
                    await outbox.RetryLaterAsync(claim, result.Error ?? "", CancellationToken.None);
                    return false;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down mid-send: hand it back now, so another instance sends it without waiting out the lease. It may
            // have reached the channel already: then it is sent twice (at least once).
            await TryReleaseAsync(claim);
            return false;
        }
        catch (Exception ex)
        {
            // The store failed recording the outcome: the lease runs out and the entry is claimed and sent again.
            LogRecordFailed(ex, entry.Channel);
            return false;
        }
    }

    private async Task TryReleaseAsync(OutboxClaim claim)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await outbox.ReleaseAsync(claim, Now, timeout.Token);
        }
        catch (Exception ex)
        {
            LogRecordFailed(ex, claim.Message.Channel);
        }
    }

    /// <summary>When a bulk entry must wait (its channel's pace, or its conversation's spacing): until then; null: send now.</summary>
    private DateTime? HoldBulk(OutboxMessage entry)
    {
        lock (_lock)
        {
            var now = Now;
            if (!_pacer.Paces(entry.Channel))
            {
                return null;
            }

            if (_paces.TryGetValue(entry.ConversationKey, out var pace) && pace.NextBulkAt > now)
            {
                return pace.NextBulkAt;
            }

            return _pacer.TryTake(entry.Channel) is { } wait ? now + wait : null;
        }
    }

    private void Delivered(OutboxMessage entry)
    {
        lock (_lock)
        {
            if (entry.Bulk && _pacer.Paces(entry.Channel))
            {
                _paces[entry.ConversationKey] = new ConversationPace(0, Now + _options.BulkConversationInterval);
            }
            else
            {
                _paces.Remove(entry.ConversationKey);
            }

            if (_paces.Count > 10_000)
            {
                // Spacing that has passed holds nothing back: forget it, so the map stays the size of what is in flight.
                var now = Now;
                foreach (var key in _paces.Where(p => p.Value.Throttles == 0 && p.Value.NextBulkAt <= now).Select(p => p.Key).ToList())
                {
                    _paces.Remove(key);
                }
            }
        }
    }

    private TimeSpan Throttled(string conversationKey, TimeSpan? retryAfter)
    {
        lock (_lock)
        {
            var pace = _paces.GetValueOrDefault(conversationKey);
            _paces[conversationKey] = pace with { Throttles = pace.Throttles + 1 };
            return ChannelSender.RetryLaterWait(retryAfter, pace.Throttles);
        }
    }

    private readonly record struct ConversationPace(int Throttles, DateTime NextBulkAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Channel} asked to wait ({Scope}); the conversation retries in {Wait}")]
    private partial void LogRetryLater(string channel, string scope, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A message to {Channel} was delivered after its lease ran out; another instance took it over and sends it again")]
    private partial void LogLeaseTakenOver(string channel);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recording a delivery outcome for {Channel} failed; the message is sent again once its lease runs out")]
    private partial void LogRecordFailed(Exception exception, string channel);

    [LoggerMessage(Level = LogLevel.Error, Message = "Claiming outbox messages failed; retrying on the next tick")]
    private partial void LogClaimFailed(Exception exception);
}
