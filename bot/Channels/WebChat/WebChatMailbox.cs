using Microsoft.Extensions.Options;

namespace CommunityBot.Channels.WebChat;

/// <summary>
/// In-memory message history of the local chat page: per conversation an append-only, numbered list of
/// resident posts and delivered bot messages, with a wait for new messages that long polls use.
/// Bounded: the oldest messages of a conversation and the least recently active conversations are dropped.
/// </summary>
public sealed class WebChatMailbox(TimeProvider time, IOptions<WebChatOptions> options)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Box> _boxes = new(StringComparer.Ordinal);
    private readonly int _maxMessages = options.Value.MaxMessagesPerConversation;
    private readonly int _maxConversations = options.Value.MaxConversations;
    private long _activity;

    /// <summary>
    /// Adds a message at the end of the conversation, numbering and time-stamping it. A user post whose
    /// <see cref="WebChatEntry.MessageId"/> is already kept is not added again; the kept one is returned.
    /// </summary>
    public WebChatEntry Append(string conversationId, WebChatEntry entry)
    {
        TaskCompletionSource woken;
        WebChatEntry stored;
        lock (_lock)
        {
            var box = GetOrAddBox(conversationId);
            if (entry.MessageId is { } messageId && box.Entries.Find(e => e.MessageId == messageId) is { } kept)
            {
                return kept;
            }

            stored = entry with { Seq = box.LastSeq + 1, At = time.GetUtcNow() };
            box.Entries.Add(stored);
            box.LastSeq = stored.Seq;
            box.LastActivity = ++_activity;
            if (box.Entries.Count > _maxMessages)
            {
                box.Entries.RemoveRange(0, box.Entries.Count - _maxMessages);
            }

            woken = box.Signal;
            box.Signal = NewSignal();
        }

        // Completed outside the lock; continuations run asynchronously anyway (see NewSignal).
        woken.TrySetResult();
        return stored;
    }

    /// <summary>The kept messages numbered above <paramref name="after"/> (all kept ones if those were dropped).</summary>
    public WebChatSnapshot GetAfter(string conversationId, long after)
    {
        lock (_lock)
        {
            if (!_boxes.TryGetValue(conversationId, out var box) || box.Entries.Count == 0)
            {
                return new WebChatSnapshot([], box?.LastSeq ?? 0);
            }

            // Sequence numbers are consecutive, so the index follows from the first kept one.
            var first = box.Entries[0].Seq;
            var start = (int)Math.Clamp(after - first + 1, 0, box.Entries.Count);
            return new WebChatSnapshot(box.Entries.GetRange(start, box.Entries.Count - start), box.LastSeq);
        }
    }

    /// <summary>
    /// Completes with true as soon as the conversation has a message numbered above <paramref name="after"/>,
    /// or with false when <paramref name="timeout"/> (measured on the injected TimeProvider) passes first.
    /// </summary>
    public async Task<bool> WaitForMessagesAsync(string conversationId, long after, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task signal;
        lock (_lock)
        {
            var box = GetOrAddBox(conversationId);
            if (box.LastSeq > after)
            {
                return true;
            }

            signal = box.Signal.Task;
        }

        if (timeout <= TimeSpan.Zero)
        {
            return false;
        }

        try
        {
            await signal.WaitAsync(timeout, time, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private Box GetOrAddBox(string conversationId)
    {
        if (_boxes.TryGetValue(conversationId, out var box))
        {
            return box;
        }

        if (_boxes.Count >= _maxConversations)
        {
            var oldest = _boxes.MinBy(pair => pair.Value.LastActivity);
            _boxes.Remove(oldest.Key);
            // Wake its pollers: they find the conversation empty and poll again.
            oldest.Value.Signal.TrySetResult();
        }

        box = new Box { Signal = NewSignal(), LastActivity = ++_activity };
        _boxes.Add(conversationId, box);
        return box;
    }

    // Waiters must not run their continuations on the appending thread, inside the caller's turn.
    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Box
    {
        public List<WebChatEntry> Entries { get; } = [];
        public long LastSeq { get; set; }
        public long LastActivity { get; set; }
        public required TaskCompletionSource Signal { get; set; }
    }
}
