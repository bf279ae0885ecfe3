using CommunityBot.Dialogs.Conversation;
using CommunityBot.Storage;
using LiteDB;
using Microsoft.Extensions.Options;

namespace CommunityBot.Notifications;

/// <summary>
/// The durable outbox: messages are written here (in the same LiteDB file as everything else) before a
/// channel is answered, and the <see cref="OutboxDispatcher"/> delivers them. A delivered message is
/// deleted; a crash before delivery leaves it here to be sent after restart. What a commit inserts is also handed to
/// the dispatcher in memory (<see cref="TakeCommitted"/>), so it never scans the collection to find new work; it reads
/// the whole collection only once, at start (<see cref="Pending"/>).
/// </summary>
public sealed class Outbox : ITurnSender
{
    private readonly ILiteCollection<OutboxMessage> _messages;
    private readonly TimeProvider _time;
    private readonly OutboxOptions _options;
    private readonly WorkSignal _signal = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<OutboxMessage> _committed = new();

    private readonly LiteDbWriter _writer;

    public Outbox(ILiteDatabase database, LiteDbWriter writer, TimeProvider time, IOptions<OutboxOptions> options)
    {
        _writer = writer;
        _time = time;
        _options = options.Value;
        // No secondary index: the outbox holds only undelivered messages, so a scan is cheap, and every
        // index would add pages to each turn's commit.
        _messages = LiteDbCollections.Open<OutboxMessage>(database, "outbox");
    }

    /// <summary>Builds (does not store) an outbox entry, so the pipeline can write it in its own transaction.</summary>
    public OutboxMessage Create(ConversationReference to, OutboundMessage message) => OutboxMessage.For(to, message, _time.GetUtcNow().UtcDateTime);

    /// <summary>
    /// Stores entries built by <see cref="Create"/>, inside the caller's write (no wake-up; call <see cref="Wake"/> after
    /// it commits). Once that write commits, the entries are queued for the dispatcher in commit order.
    /// </summary>
    public void Insert(IEnumerable<OutboxMessage> messages)
    {
        var list = messages as IReadOnlyCollection<OutboxMessage> ?? messages.ToList();
        _messages.InsertBulk(list);
        _writer.AfterCommit(() =>
        {
            foreach (var message in list)
            {
                _committed.Enqueue(message);
            }
        });
    }

    public async Task SendAsync(ConversationReference to, OutboundMessage message, CancellationToken cancellationToken)
    {
        var entry = Create(to, message);
        await _writer.WriteAsync(_ => Insert([entry]));
        Wake();
    }

    /// <summary>The next committed entry not yet handed to the dispatcher, if any.</summary>
    internal bool TakeCommitted([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out OutboxMessage? message) => _committed.TryDequeue(out message);

    /// <summary>Tells the dispatcher there is something new to deliver.</summary>
    public void Wake() => _signal.Wake();

    /// <summary>Waits until <see cref="Wake"/> is called or <paramref name="timeout"/> passes on the injected clock.</summary>
    internal Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, _time, cancellationToken);

    /// <summary>Every pending entry, oldest first (read once by the dispatcher at start; then it is told of new ones).</summary>
    public IReadOnlyList<OutboxMessage> Pending() =>
        _messages.Query()
            .Where(m => m.Status == OutboxStatus.Pending)
            .OrderBy(m => m.Id)
            .ToList();

    public IReadOnlyList<OutboxMessage> All() => _messages.FindAll().ToList();

    /// <summary>How many entries wait to be delivered, and how many failed (kept for <see cref="OutboxOptions.FailedRetention"/>).</summary>
    public (int Pending, int Failed) Counts()
    {
        var failed = _messages.Count(m => m.Status == OutboxStatus.Failed);
        return (_messages.Count() - failed, failed);
    }

    /// <summary>
    /// Counts what waits and finds the oldest undelivered reply, in one pass over the collection (it holds only undelivered
    /// messages). A reply is due from the moment its turn commits: one waiting for a retry or held by a channel's rate
    /// limit still counts, since the resident is still waiting.
    /// </summary>
    public OutboxBacklog Backlog()
    {
        var now = _time.GetUtcNow().UtcDateTime;
        int pending = 0, replies = 0, failed = 0;
        DateTime? oldest = null;
        foreach (var message in _messages.FindAll())
        {
            if (message.Status == OutboxStatus.Failed)
            {
                failed++;
                continue;
            }

            pending++;
            if (!message.Bulk)
            {
                replies++;
                if (oldest is null || message.CreatedAt < oldest)
                {
                    oldest = message.CreatedAt;
                }
            }
        }

        return new OutboxBacklog(pending, replies, failed, oldest is { } at ? (now > at ? now - at : TimeSpan.Zero) : null);
    }

    /// <summary>The most recently failed entries first.</summary>
    public IReadOnlyList<OutboxMessage> Failed(int limit) =>
        _messages.Query().Where(m => m.Status == OutboxStatus.Failed).OrderByDescending(m => m.FailedAt).Limit(limit).ToList();

    /// <summary>Purges failed entries given up on before <paramref name="cutoff"/> (the hourly cleanup); returns how many.</summary>
    public int DeleteFailedBefore(DateTimeOffset cutoff)
    {
        var utc = cutoff.UtcDateTime;
        return _messages.DeleteMany(m => m.Status == OutboxStatus.Failed && m.FailedAt < utc);
    }

    /// <summary>Removes delivered messages in one write (the writer commits many conversations' deletes together).</summary>
    public Task MarkDeliveredAsync(IReadOnlyCollection<ObjectId> delivered) => _writer.WriteAsync(_ =>
    {
        foreach (var id in delivered)
        {
            _messages.Delete(id);
        }
    });

    /// <summary>Counts a failed attempt: retried later with backoff, or failed once <see cref="OutboxOptions.MaxAttempts"/> are used.</summary>
    public Task MarkFailedAttemptAsync(OutboxMessage message, string error)
    {
        message.Attempts++;
        message.LastError = error;
        if (message.Attempts >= _options.MaxAttempts)
        {
            message.Status = OutboxStatus.Failed;
            message.FailedAt = _time.GetUtcNow().UtcDateTime;
        }
        else
        {
            message.DueAt = _time.GetUtcNow().UtcDateTime + _options.RetryDelay(message.Attempts);
        }

        return _writer.WriteAsync(_ => _messages.Update(message));
    }

    /// <summary>Fails a message that can never be delivered, at once and without counting attempts.</summary>
    public Task MarkUndeliverableAsync(OutboxMessage message, string error)
    {
        message.LastError = error;
        message.Status = OutboxStatus.Failed;
        message.FailedAt = _time.GetUtcNow().UtcDateTime;
        return _writer.WriteAsync(_ => _messages.Update(message));
    }
}
