using CommunityBot.Channels;
using Microsoft.Extensions.Options;

namespace CommunityBot.Notifications;

/// <summary>
/// Delivers outbox messages through the channel clients as soon as they are committed: conversations in parallel (up to
/// <see cref="OutboxOptions.MaxParallelConversations"/>), each conversation in order, and no conversation waits for
/// another. The pending messages are kept here in memory per conversation (read from the store once at start, then
/// handed over by <see cref="Outbox.TakeCommitted"/>), so picking due work never scans the store.
/// <list type="bullet">
/// <item>A reply is held back only by its channel: a <see cref="ChannelRetryLaterException"/> holds that conversation for
/// the wait the channel asked for, without counting a failed attempt.</item>
/// <item>Bulk messages (<see cref="OutboxMessage.Bulk"/>) are paced per channel (<see cref="ChannelPacer"/>) and per
/// conversation, and a reply that is due always goes first.</item>
/// <item>A failed send (an error, or longer than <see cref="OutboxOptions.SendTimeout"/>) is retried with backoff and holds
/// back only the messages behind it in the same conversation; an <see cref="ChannelDeliveryRejectedException"/> (or no client for
/// the channel) fails the message at once.</item>
/// <item>Each conversation's delivered messages are deleted right after its send (the writer commits many conversations'
/// deletes together), so a crash re-sends at most what was in flight.</item>
/// </list>
/// </summary>
public sealed partial class OutboxDispatcher(
    Outbox outbox,
    IEnumerable<IChannelClient> clients,
    IOptions<OutboxOptions> options,
    TimeProvider time,
    ILogger<OutboxDispatcher> logger,
    DeliveryMonitor? monitor = null,
    Metrics.BotMetrics? metrics = null)
{
    private readonly ChannelSender _sender = new(clients, options.Value, time, logger, monitor, metrics);
    private readonly OutboxOptions _options = options.Value;
    private readonly ChannelPacer _pacer = new(time, options.Value);

    // All state below is guarded by _lock.
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Conversation> _conversations = new(StringComparer.Ordinal);
    private readonly Queue<Conversation> _replies = new();
    private readonly Dictionary<string, Queue<Conversation>> _bulk = new(StringComparer.Ordinal);
    private readonly PriorityQueue<Conversation, DateTime> _later = new();
    private readonly HashSet<Task> _running = [];
    private int _inFlight;
    private HashSet<LiteDB.ObjectId>? _loadedAtStart;
    private DateTime? _bulkPacedUntil;
    private long _delivered;

    /// <summary>Delivers everything that is due now and waits for it; returns how many messages were delivered (tests, the CLI).</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var before = Interlocked.Read(ref _delivered);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Task[] running;
            lock (_lock)
            {
                Pump(cancellationToken);
                running = [.. _running.Where(t => !t.IsCompleted)];
            }

            if (running.Length == 0)
            {
                return (int)(Interlocked.Read(ref _delivered) - before);
            }

            await Task.WhenAny(running);
        }
    }

    /// <summary>
    /// Starts the sends that are due now without waiting for them (the background service; a finished send wakes the
    /// outbox); returns how long until something else falls due, or null when nothing waits for a time.
    /// </summary>
    public TimeSpan? Start(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Pump(cancellationToken);
            var now = Now;
            DateTime? next = _later.TryPeek(out _, out var at) ? at : null;
            if (_bulkPacedUntil is { } paced && (next is null || paced < next))
            {
                next = paced;
            }

            return next is { } due ? (due > now ? due - now : TimeSpan.Zero) : null;
        }
    }

    /// <summary>Waits for the sends in flight (the background service at shutdown, after cancelling them).</summary>
    public Task StopAsync()
    {
        lock (_lock)
        {
            return Task.WhenAll([.. _running.Where(t => !t.IsCompleted)]);
        }
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private void Pump(CancellationToken cancellationToken)
    {
        if (_loadedAtStart is null)
        {
            // At start: what the last process left. Entries committed meanwhile may also come through TakeCommitted.
            var pending = outbox.Pending();
            _loadedAtStart = pending.Select(m => m.Id).ToHashSet();
            foreach (var message in pending)
            {
                Add(message);
            }
        }

        while (outbox.TakeCommitted(out var message))
        {
            if (!_loadedAtStart.Contains(message.Id))
            {
                Add(message);
            }
        }

        var now = Now;
        while (_later.TryPeek(out var waiting, out var at) && at <= now)
        {
            _later.Dequeue();
            waiting.Scheduled = false;
            Schedule(waiting, now);
        }

        _running.RemoveWhere(t => t.IsCompleted);
        _bulkPacedUntil = null;
        if (cancellationToken.IsCancellationRequested)
        {
            return;
        }

        // Replies first: a bulk entry takes a free slot only when no reply is ready.
        while (_inFlight < _options.MaxParallelConversations &&
            (_replies.TryDequeue(out var conversation) || TryTakeBulk(now, out conversation)))
        {
            conversation.Scheduled = false;
            conversation.Running = true;
            _inFlight++;
            _running.Add(Task.Run(() => RunAsync(conversation, cancellationToken), CancellationToken.None));
        }
    }

    private void Add(OutboxMessage message)
    {
        if (!_conversations.TryGetValue(message.ConversationKey, out var conversation))
        {
            _conversations[message.ConversationKey] = conversation = new Conversation(message.ConversationKey);
        }

        conversation.Entries.Add(message);
        if (!conversation.Running && !conversation.Scheduled)
        {
            Schedule(conversation, Now);
        }
    }

    /// <summary>Puts an idle conversation where its first entry belongs: ready as a reply or as bulk, or waiting for a time.</summary>
    private void Schedule(Conversation conversation, DateTime now)
    {
        if (conversation.Entries.Count == 0)
        {
            _conversations.Remove(conversation.Key);
            return;
        }

        var head = conversation.Entries[0];
        var readyAt = Max(head.DueAt, conversation.HeldUntil);
        if (head.Bulk && _pacer.Paces(head.Channel))
        {
            readyAt = Max(readyAt, conversation.NextBulkAt);
        }

        conversation.Scheduled = true;
        if (readyAt > now)
        {
            _later.Enqueue(conversation, readyAt);
        }
        else if (head.Bulk)
        {
            if (!_bulk.TryGetValue(head.Channel, out var queue))
            {
                _bulk[head.Channel] = queue = new Queue<Conversation>();
            }

            queue.Enqueue(conversation);
        }
        else
        {
            _replies.Enqueue(conversation);
        }
    }

    /// <summary>A conversation whose bulk entry is ready and whose channel's pace allows one more now.</summary>
    private bool TryTakeBulk(DateTime now, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Conversation? conversation)
    {
        foreach (var (channel, queue) in _bulk)
        {
            if (queue.Count == 0)
            {
                continue;
            }

            if (_pacer.TryTake(channel) is { } wait)
            {
                var until = now + wait;
                _bulkPacedUntil = _bulkPacedUntil is { } other && other < until ? other : until;
                continue;
            }

            conversation = queue.Dequeue();
            return true;
        }

        conversation = null;
        return false;
    }

    /// <summary>Sends the conversation's due replies in order (or one bulk entry), then hands it back to the schedule.</summary>
    private async Task RunAsync(Conversation conversation, CancellationToken cancellationToken)
    {
        try
        {
            for (var first = true; !cancellationToken.IsCancellationRequested; first = false)
            {
                var batch = NextBatch(conversation, first);
                if (batch.Count == 0)
                {
                    break;
                }

                var outcome = await DeliverAsync(conversation, batch, cancellationToken);
                lock (_lock)
                {
                    if (outcome != Outcome.RetryLater)
                    {
                        // Delivered, failed for good, or failed an attempt (then it is still first, with a later DueAt).
                        conversation.Entries.RemoveAll(m => m.Status == OutboxStatus.Failed || (outcome == Outcome.Delivered && batch.Contains(m)));
                    }
                }

                if (outcome != Outcome.Delivered || batch[0].Bulk)
                {
                    break; // a bulk send goes back to the schedule, so replies elsewhere go first
                }
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogRunFailed(ex);
        }
        catch (OperationCanceledException)
        {
            // Shutting down: what is left is sent after the restart.
        }
        finally
        {
            lock (_lock)
            {
                conversation.Running = false;
                _inFlight--;
                Schedule(conversation, Now);
            }

            outbox.Wake();
        }
    }

    /// <summary>
    /// The first entry if it is due, plus the due replies right behind it to the same address when its client delivers
    /// batches (one message for a turn's several replies); empty when nothing is due, or when the first is a bulk entry
    /// and this is not the send the conversation was started (and paced) for.
    /// </summary>
    private List<OutboxMessage> NextBatch(Conversation conversation, bool startedFor)
    {
        lock (_lock)
        {
            var now = Now;
            if (conversation.Entries.Count == 0 || conversation.HeldUntil > now)
            {
                return [];
            }

            var first = conversation.Entries[0];
            if (first.DueAt > now || (first.Bulk && !startedFor))
            {
                return [];
            }

            var batch = new List<OutboxMessage> { first };
            if (!first.Bulk && _sender.Batches(first.Channel))
            {
                for (var i = 1; i < conversation.Entries.Count; i++)
                {
                    var next = conversation.Entries[i];
                    if (next.To != first.To || next.Bulk || next.Attempts != 0 || next.DueAt > now)
                    {
                        break;
                    }

                    batch.Add(next);
                }
            }

            return batch;
        }
    }

    private async Task<Outcome> DeliverAsync(Conversation conversation, List<OutboxMessage> batch, CancellationToken cancellationToken)
    {
        var entry = batch[0];
        var result = await _sender.SendAsync(batch, cancellationToken);
        switch (result.Status)
        {
            case SendStatus.RetryLater:
                lock (_lock)
                {
                    var wait = ChannelSender.RetryLaterWait(result.RetryAfter, conversation.Throttles);
                    conversation.Throttles++;
                    conversation.HeldUntil = Now + wait;
                    LogRetryLater(entry.Channel, result.Scope ?? "", wait);
                }

                return Outcome.RetryLater;
            case SendStatus.Rejected:
                await outbox.MarkUndeliverableAsync(entry, result.Error ?? "");
                return Outcome.Failed;
            case SendStatus.Failed:
                await outbox.MarkFailedAttemptAsync(entry, result.Error ?? "");
                return Outcome.Failed;
        }

        var deliveredAt = Now; // the channel took it: the end of the answer's latency (the delete below is bookkeeping)
        lock (_lock)
        {
            conversation.Throttles = 0;
            if (entry.Bulk)
            {
                conversation.NextBulkAt = Now + _options.BulkConversationInterval;
            }
        }

        // Right after this conversation's send: a crash now re-sends only what was in flight (at least once, never lost).
        await outbox.MarkDeliveredAsync(batch.ConvertAll(m => m.Id));
        Interlocked.Add(ref _delivered, batch.Count);
        _sender.RecordDelivered(batch, deliveredAt);
        return Outcome.Delivered;
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private enum Outcome
    {
        Delivered,
        RetryLater,
        Failed,
    }

    /// <summary>One conversation's pending entries, in commit order, and what holds it back.</summary>
    private sealed class Conversation(string key)
    {
        public string Key { get; } = key;
        public List<OutboxMessage> Entries { get; } = [];
        /// <summary>Being sent to by a task (then in no queue).</summary>
        public bool Running { get; set; }
        /// <summary>In one of the queues (ready or waiting).</summary>
        public bool Scheduled { get; set; }
        /// <summary>The channel asked this conversation to wait until then.</summary>
        public DateTime HeldUntil { get; set; }
        /// <summary>"Retry later" answers in a row, for the backoff when the channel named no wait.</summary>
        public int Throttles { get; set; }
        /// <summary>The earliest time of its next bulk message (per-conversation pacing).</summary>
        public DateTime NextBulkAt { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Channel} asked to wait ({Scope}); the conversation retries in {Wait}")]
    private partial void LogRetryLater(string channel, string scope, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox delivery to a conversation stopped unexpectedly; it is retried on the next round")]
    private partial void LogRunFailed(Exception exception);
}
