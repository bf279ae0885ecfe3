using CommunityBot.Conversation;
using CommunityBot.Dialogs.Conversation;

namespace CommunityBot.Tests.Harness;

/// <summary>
/// Scripts a conversation with several speakers, in the spirit of Bot Builder's TestFlow: each step is
/// queued and runs in order on <see cref="RunAsync"/>. Replies are read in the order the bot sent them.
/// </summary>
public sealed class ConversationFlow(BotHarness harness, string conversationId, bool isGroup)
{
    private readonly List<Func<Task>> _steps = [];
    private readonly Queue<OutboundMessage> _pending = new();
    private string _speaker = "alice";
    private int _messageCounter;
    private OutboundMessage? _lastReply;

    /// <summary>Outcomes of every Send, in order (for assertions on de-duplication or ignoring).</summary>
    public List<TurnOutcome> Outcomes { get; } = [];

    /// <summary>Switches the speaker for the following steps.</summary>
    public ConversationFlow As(string userId)
    {
        _steps.Add(() =>
        {
            _speaker = userId;
            return Task.CompletedTask;
        });
        return this;
    }

    /// <summary>Sends a message; in a group, a leading "@小灵通" is the @mention (stripped as channel mappers do).</summary>
    public ConversationFlow Send(string text, IReadOnlyList<InboundAttachment>? attachments = null, string? messageId = null) =>
        Enqueue(() => DeliverAsync(text, buttonValue: null, attachments, messageId));

    /// <summary>Presses the button with this title on the latest reply that had buttons.</summary>
    public ConversationFlow Press(string title) => Enqueue(() =>
    {
        var button = _lastReply?.Buttons.FirstOrDefault(b => b.Title == title)
            ?? throw new Xunit.Sdk.XunitException($"No button '{title}' on the latest reply ('{_lastReply?.Text}').");
        return DeliverAsync(button.Title, button.Value, null, null);
    });

    /// <summary>Presses the button at this position on the latest reply that had buttons.</summary>
    public ConversationFlow PressAt(int index) => Enqueue(() =>
    {
        var button = _lastReply is { } reply && index < reply.Buttons.Count
            ? reply.Buttons[index]
            : throw new Xunit.Sdk.XunitException($"No button #{index} on the latest reply ('{_lastReply?.Text}').");
        return DeliverAsync(button.Title, button.Value, null, null);
    });

    public ConversationFlow AssertReply(string expected) => AssertReply(r => Assert.Equal(expected, r.Text));

    public ConversationFlow AssertReplyContains(string fragment) => AssertReply(r => Assert.Contains(fragment, r.Text, StringComparison.Ordinal));

    public ConversationFlow AssertReply(Action<OutboundMessage> check) => Enqueue(() =>
    {
        Collect();
        if (_pending.Count == 0)
        {
            throw new Xunit.Sdk.XunitException("Expected a reply, but the bot sent nothing.");
        }

        var reply = _pending.Dequeue();
        if (reply.Buttons.Count > 0)
        {
            _lastReply = reply;
        }

        check(reply);
        return Task.CompletedTask;
    });

    public ConversationFlow AssertNoReply() => Enqueue(() =>
    {
        Collect();
        if (_pending.Count > 0)
        {
            throw new Xunit.Sdk.XunitException($"Expected no reply, but the bot sent: {_pending.Peek().Text}");
        }

        return Task.CompletedTask;
    });

    /// <summary>Moves the fake clock.</summary>
    public ConversationFlow AdvanceTime(TimeSpan by) => Enqueue(() =>
    {
        harness.Time.Advance(by);
        return Task.CompletedTask;
    });

    public async Task RunAsync()
    {
        foreach (var step in _steps)
        {
            await step();
        }

        Collect();
        if (_pending.Count > 0)
        {
            throw new Xunit.Sdk.XunitException($"{_pending.Count} reply(ies) not asserted, the first: {_pending.Peek().Text}");
        }
    }

    private ConversationFlow Enqueue(Func<Task> step)
    {
        _steps.Add(step);
        return this;
    }

    private async Task DeliverAsync(string text, string? buttonValue, IReadOnlyList<InboundAttachment>? attachments, string? messageId)
    {
        var mention = "@" + BotHarness.BotName;
        var mentioned = text.StartsWith(mention, StringComparison.Ordinal);
        var message = new InboundMessage
        {
            Id = messageId ?? $"{conversationId}-{++_messageCounter}",
            Conversation = new ConversationReference
            {
                Channel = TestChannel.Name,
                ConversationId = conversationId,
                IsGroup = isGroup,
                UserId = _speaker,
                UserName = _speaker,
                BotId = "bot",
                BotName = BotHarness.BotName,
            },
            Text = mentioned ? text[mention.Length..].Trim() : text,
            AddressedToBot = !isGroup || mentioned || buttonValue is not null,
            ButtonValue = buttonValue,
            Attachments = attachments ?? [],
            Timestamp = harness.Time.GetUtcNow(),
        };
        Outcomes.Add(await harness.Pipeline.ProcessAsync(message, CancellationToken.None));
        await harness.Dispatcher.DispatchDueAsync(CancellationToken.None);
    }

    private void Collect()
    {
        while (harness.Channel.TryTake(out var sent))
        {
            if (sent.To.ConversationId == conversationId)
            {
                _pending.Enqueue(sent.Message);
            }
        }
    }
}
