namespace CommunityBot.Dialogs.Conversation;

/// <summary>
/// One turn: the inbound message, the time the pipeline took it, and the replies the dialogs make.
/// The pipeline delivers the replies (through the outbox) after the turn, addressed to the same conversation.
/// </summary>
public sealed class TurnContext(InboundMessage inbound, DateTimeOffset now)
{
    private readonly List<OutboundMessage> _replies = [];

    public InboundMessage Inbound { get; } = inbound;
    public DateTimeOffset Now { get; } = now;
    public IReadOnlyList<OutboundMessage> Replies => _replies;

    /// <summary>True when the bot decided the message was not for it (a group message without @mention).</summary>
    public bool Ignored { get; private set; }

    public void Ignore() => Ignored = true;

    public void Reply(OutboundMessage message) => _replies.Add(message);

    public void Reply(string text) => _replies.Add(OutboundMessage.Plain(text));

    /// <summary>Drops the replies made so far (the error handler replaces them with an apology).</summary>
    public void ClearReplies() => _replies.Clear();
}
