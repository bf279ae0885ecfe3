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
    private string _conversationId = conversationId;
    private bool _isGroup = isGroup;
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

    /// <summary>Switches to another conversation (e.g. a worker's private chat) for the following steps.</summary>
    public ConversationFlow InConversation(string id, bool group)
    {
        _steps.Add(() =>
        {
            _conversationId = id;
            _isGroup = group;
            return Task.CompletedTask;
        });
        return this;
    }

    /// <summary>Switches to <paramref name="userId"/>'s private chat with the bot, speaking as them.</summary>
    public ConversationFlow InPrivateChatOf(string userId) => InConversation("private-" + userId, group: false).As(userId);

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

    /// <summary>Presses a button carrying <paramref name="value"/> (a replayed or forged value, or one from a card elsewhere).</summary>
    public ConversationFlow PressValue(string title, string value) => Enqueue(() => DeliverAsync(title, value, null, null));

    /// <summary>Presses a ticket card's button (as any user could, e.g. by replaying its value) without needing the card on screen.</summary>
    public ConversationFlow PressCardButton(string ticketNumber, string title)
    {
        var action = title switch
        {
            "签收" => "Sign",
            "回复" => "Reply",
            "接管" => "TakeOver",
            "转派" => "Transfer",
            "联动" => "CoHandle",
            "退回" => "Return",
            "办结" => "Close",
            _ => throw new ArgumentException(title, nameof(title)),
        };
        return Enqueue(() => DeliverAsync(title, $"tk:{ticketNumber}:{action}", null, null));
    }

    public ConversationFlow AssertReply(string expected) => AssertReply(r => Assert.Equal(expected, r.Text));

    public ConversationFlow AssertReplyContains(string fragment) => AssertReply(r => Assert.Contains(fragment, r.Text, StringComparison.Ordinal));

    public ConversationFlow AssertReply(Action<OutboundMessage> check) => Enqueue(() =>
    {
        var pending = harness.InboxOf(_conversationId);
        if (pending.Count == 0)
        {
            throw new Xunit.Sdk.XunitException($"Expected a reply in {_conversationId}, but the bot sent nothing there.");
        }

        var reply = pending.Dequeue();
        if (reply.Buttons.Count > 0)
        {
            _lastReply = reply;
        }

        check(reply);
        return Task.CompletedTask;
    });

    public ConversationFlow AssertNoReply() => Enqueue(() =>
    {
        var pending = harness.InboxOf(_conversationId);
        if (pending.Count > 0)
        {
            throw new Xunit.Sdk.XunitException($"Expected no reply in {_conversationId}, but the bot sent: {pending.Peek().Text}");
        }

        return Task.CompletedTask;
    });

    /// <summary>Runs any step in order with the others (e.g. a background sweep the test triggers).</summary>
    public ConversationFlow Then(Func<Task> step) => Enqueue(step);

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

        foreach (var (conversation, inbox) in harness.Unread())
        {
            throw new Xunit.Sdk.XunitException($"Replies not asserted in {conversation}, the first: {inbox.Peek().Text}");
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
            Id = messageId ?? $"{_conversationId}-{++_messageCounter}",
            Conversation = new ConversationReference
            {
                Channel = TestChannel.Name,
                ConversationId = _conversationId,
                IsGroup = _isGroup,
                UserId = _speaker,
                UserName = _speaker,
                BotId = "bot",
                BotName = BotHarness.BotName,
            },
            Text = mentioned ? text[mention.Length..].Trim() : text,
            AddressedToBot = !_isGroup || mentioned || buttonValue is not null,
            ButtonValue = buttonValue,
            Attachments = attachments ?? [],
            Timestamp = harness.Time.GetUtcNow(),
            Authenticated = true, // as a verified channel delivers it
        };
        Outcomes.Add(await harness.Pipeline.ProcessAsync(message, harness.TurnToken));
        await harness.DeliverAsync();
    }
}
