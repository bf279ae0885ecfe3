using System.Text.Json;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Engine;
using CommunityBot.Storage;
using LiteDB;
using JsonSerializer = System.Text.Json.JsonSerializer;
using Microsoft.Extensions.Options;

namespace CommunityBot.Notifications;

/// <summary>
/// The durable outbox: messages are written here (in the same LiteDB file as everything else) before a
/// channel is answered, and the <see cref="OutboxDispatcher"/> delivers them. A delivered message is
/// deleted; a crash before delivery leaves it here to be sent after restart.
/// </summary>
public sealed class Outbox : ITurnSender
{
    private readonly ILiteCollection<OutboxMessage> _messages;
    private readonly TimeProvider _time;
    private readonly OutboxOptions _options;
    private readonly SemaphoreSlim _signal = new(0);

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
    public OutboxMessage Create(ConversationReference to, OutboundMessage message)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return new OutboxMessage
        {
            Channel = to.Channel,
            ConversationKey = $"{to.Channel}/{to.ConversationId}",
            To = JsonSerializer.Serialize(to, DialogJson.Options),
            Message = JsonSerializer.Serialize(message, DialogJson.Options),
            CreatedAt = now,
            DueAt = now,
        };
    }

    /// <summary>Stores entries built by <see cref="Create"/>, inside the caller's write (no wake-up; call <see cref="Wake"/> after it commits).</summary>
    public void Insert(IEnumerable<OutboxMessage> messages) => _messages.InsertBulk(messages);

    public async Task SendAsync(ConversationReference to, OutboundMessage message, CancellationToken cancellationToken)
    {
        var entry = Create(to, message);
        await _writer.WriteAsync(_ => _messages.Insert(entry));
        Wake();
    }

    /// <summary>Tells the dispatcher there is something new to deliver.</summary>
    public void Wake()
    {
        if (_signal.CurrentCount == 0)
        {
            _signal.Release();
        }
    }

    /// <summary>Waits until <see cref="Wake"/> is called or <paramref name="timeout"/> passes on the injected clock.</summary>
    internal async Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            await _signal.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The poll interval passed: look for due retries.
        }
    }

    /// <summary>Pending entries, oldest first (due or waiting for a retry: the dispatcher keeps each conversation in order).</summary>
    public IReadOnlyList<OutboxMessage> Pending(int limit) =>
        _messages.Query()
            .Where(m => m.Status == OutboxStatus.Pending)
            .OrderBy(m => m.Id)
            .Limit(limit)
            .ToList();

    public bool IsDue(OutboxMessage message) => message.DueAt <= _time.GetUtcNow().UtcDateTime;

    public IReadOnlyList<OutboxMessage> All() => _messages.FindAll().ToList();

    /// <summary>Removes delivered messages, all in one write.</summary>
    internal Task MarkDeliveredAsync(IReadOnlyCollection<ObjectId> delivered) => _writer.WriteAsync(_ =>
    {
        foreach (var id in delivered)
        {
            _messages.Delete(id);
        }
    });

    internal Task MarkFailedAttemptAsync(OutboxMessage message, string error)
    {
        message.Attempts++;
        message.LastError = error;
        if (message.Attempts >= _options.MaxAttempts)
        {
            message.Status = OutboxStatus.Failed;
        }
        else
        {
            var delay = TimeSpan.FromTicks(Math.Min(
                _options.FirstRetryDelay.Ticks * (1L << Math.Min(message.Attempts - 1, 20)),
                _options.MaxRetryDelay.Ticks));
            message.DueAt = _time.GetUtcNow().UtcDateTime + delay;
        }

        return _writer.WriteAsync(_ => _messages.Update(message));
    }
}
