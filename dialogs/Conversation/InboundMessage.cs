namespace CommunityBot.Dialogs.Conversation;

/// <summary>What a channel adapter hands the pipeline: one resident message, already without the bot's @mention.</summary>
public sealed record InboundMessage
{
    /// <summary>The channel's id for this delivery; the pipeline deduplicates on it.</summary>
    public required string Id { get; init; }
    public required ConversationReference Conversation { get; init; }
    public InboundKind Kind { get; init; } = InboundKind.Message;
    /// <summary>The text without the @mention of the bot, trimmed.</summary>
    public string Text { get; init; } = "";
    /// <summary>True when the bot was @-mentioned (or the message was sent in a private chat).</summary>
    public bool AddressedToBot { get; init; }
    /// <summary>The value carried by a pressed button (card submit), when that is what this message is.</summary>
    public string? ButtonValue { get; init; }
    public IReadOnlyList<InboundAttachment> Attachments { get; init; } = [];
    public DateTimeOffset Timestamp { get; init; }
    /// <summary>
    /// True when the endpoint verified where the delivery came from: a Bot Connector token, a WeCom signature, or a
    /// request to the local chat from this machine. Only such a message may register its group for broadcasts.
    /// </summary>
    public bool Authenticated { get; init; }
    /// <summary>The event's name when <see cref="Kind"/> is <see cref="InboundKind.Event"/> (e.g. <c>ticket.feedback</c>).</summary>
    public string? EventName { get; init; }
    /// <summary>The event's data as JSON, when <see cref="Kind"/> is <see cref="InboundKind.Event"/>.</summary>
    public string? EventValue { get; init; }

    public string Channel => Conversation.Channel;
    public string UserId => Conversation.UserId;
    public bool IsGroup => Conversation.IsGroup;

    /// <summary>State key of this resident inside this conversation: <c>{channel}/{conversation}/{user}</c>.</summary>
    public string StateKey => Conversation.StateKey;
}

/// <summary>The kinds of inbound event the dialogs react to.</summary>
public enum InboundKind
{
    Message,
    /// <summary>The bot itself was added to the conversation (greet once).</summary>
    BotAdded,
    /// <summary>
    /// A proactive turn the bot itself runs for this resident (Bot Framework's event activity): nobody wrote, the desk
    /// asked for a prompt (the closing survey, a request for a phone number) named by <see cref="InboundMessage.EventName"/>.
    /// </summary>
    Event,
}

/// <summary>A photo or file the resident sent.</summary>
public sealed record InboundAttachment(string ContentType, string Url, string? Name = null);
