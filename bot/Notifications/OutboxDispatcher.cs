using System.Collections.Concurrent;
using System.Text.Json;
using CommunityBot.Channels;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Engine;
using LiteDB;
using JsonSerializer = System.Text.Json.JsonSerializer;
using Microsoft.Extensions.Options;

namespace CommunityBot.Notifications;

/// <summary>
/// Delivers due outbox messages through the channel clients: conversations in parallel, each
/// conversation in order; a failed delivery is retried later with backoff and holds back the messages
/// behind it in the same conversation. Each channel is paced (<see cref="ChannelPacer"/>): what is over its
/// minute's budget stays pending, without counting as a failed attempt, and goes out on a later round.
/// </summary>
public sealed partial class OutboxDispatcher(
    Outbox outbox,
    IEnumerable<IChannelClient> clients,
    IOptions<OutboxOptions> options,
    TimeProvider time,
    ILogger<OutboxDispatcher> logger)
{
    private readonly ChannelPacer _pacer = new(time, options.Value);
    private readonly IChannelClient[] _clients = clients.ToArray();
    private readonly OutboxOptions _options = options.Value;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    /// <summary>Delivers everything that is due now; returns how many messages were delivered.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            var total = 0;
            while (true)
            {
                var pending = outbox.Pending(500);
                if (pending.Count == 0)
                {
                    return total;
                }

                var delivered = new ConcurrentBag<ObjectId>();
                await Parallel.ForEachAsync(
                    pending.GroupBy(m => m.ConversationKey),
                    new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelConversations, CancellationToken = cancellationToken },
                    async (conversation, ct) =>
                    {
                        var entries = conversation.ToList();
                        for (var i = 0; i < entries.Count;)
                        {
                            // A message waiting for its retry holds back the ones behind it.
                            var batch = Batch(entries, i);
                            if (batch.Count == 0 || !await DeliverAsync(batch, ct))
                            {
                                break; // keep the conversation in order: the rest waits for this one's retry
                            }

                            foreach (var message in batch)
                            {
                                delivered.Add(message.Id);
                            }

                            i += batch.Count;
                        }
                    });

                // One write for the whole round. A crash before it commits re-sends this round's messages
                // after restart (at least once); it never loses one.
                if (delivered.IsEmpty)
                {
                    return total;
                }

                await outbox.MarkDeliveredAsync(delivered);
                total += delivered.Count;
            }
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>
    /// The due entry at <paramref name="start"/>, plus the due entries right behind it to the same address when its
    /// client delivers batches (one message for a turn's several replies); empty when the entry is not due or its
    /// channel has used up this minute's budget.
    /// </summary>
    private List<OutboxMessage> Batch(List<OutboxMessage> entries, int start)
    {
        var first = entries[start];
        if (!outbox.IsDue(first) || !_pacer.TryTake(first.Channel))
        {
            return [];
        }

        var batch = new List<OutboxMessage> { first };
        if (Array.Find(_clients, c => c.Handles(first.Channel)) is IBatchingChannelClient)
        {
            for (var i = start + 1; i < entries.Count && entries[i].To == first.To && entries[i].Attempts == 0 && outbox.IsDue(entries[i]); i++)
            {
                batch.Add(entries[i]);
            }
        }

        return batch;
    }

    private async Task<bool> DeliverAsync(List<OutboxMessage> batch, CancellationToken cancellationToken)
    {
        var entry = batch[0];
        var client = Array.Find(_clients, c => c.Handles(entry.Channel));
        if (client is null)
        {
            LogNoClient(entry.Channel);
            await outbox.MarkFailedAttemptAsync(entry, $"no client for channel '{entry.Channel}'");
            return false;
        }

        try
        {
            var to = JsonSerializer.Deserialize<ConversationReference>(entry.To, DialogJson.Options)!;
            if (batch.Count > 1 && client is IBatchingChannelClient batching)
            {
                var messages = batch.ConvertAll(m => JsonSerializer.Deserialize<OutboundMessage>(m.Message, DialogJson.Options)!);
                await batching.SendAsync(to, messages, cancellationToken);
                return true;
            }

            var message = JsonSerializer.Deserialize<OutboundMessage>(entry.Message, DialogJson.Options)!;
            await client.SendAsync(to, message, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogDeliveryFailed(ex, entry.Channel, entry.Attempts + 1);
            await outbox.MarkFailedAttemptAsync(entry, ex.Message);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "No channel client delivers to {Channel}")]
    private partial void LogNoClient(string channel);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery to {Channel} failed (attempt {Attempt})")]
    private partial void LogDeliveryFailed(Exception exception, string channel, int attempt);
}
