using System.Text.RegularExpressions;
using CommunityBot.Dialogs.Conversation;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;
using ButtonAction = CommunityBot.Dialogs.Conversation.CardAction;
using ConversationReference = CommunityBot.Dialogs.Conversation.ConversationReference;
using BotChannels = Microsoft.Bot.Connector.Channels;
using SchemaCardAction = Microsoft.Bot.Schema.CardAction;

namespace CommunityBot.Channels.BotFramework;

/// <summary>
/// Pure conversion between Bot Builder's <see cref="Activity"/> (as the SDK read it from the wire) and the
/// channel-neutral messages of the dialogs, both ways.
/// </summary>
public static partial class ActivityMapper
{
    public const string AdaptiveCardContentType = "application/vnd.microsoft.card.adaptive";

    private const string TeamsFileDownloadContentType = "application/vnd.microsoft.teams.file.download.info";

    // Characters the trim at the end removes besides ASCII whitespace: no-break space and the
    // ideographic (full-width) space a Chinese IME types after an @mention.
    private static readonly char[] s_trimChars = [' ', '\t', '\r', '\n', '\u00A0', '\u3000'];

    /// <summary>
    /// Says what makes an activity unusable, or null when it can be mapped: a message or conversation update needs its
    /// id, channel, an absolute http(s) <c>serviceUrl</c>, conversation and sender, and every id must be short enough to be
    /// an index key (<see cref="ChannelIds"/>). Other activity types are acknowledged and ignored, so only their type is read.
    /// </summary>
    public static string? FindProblem(Activity activity)
    {
        if (string.IsNullOrWhiteSpace(activity.Type))
        {
            return "The activity has no type.";
        }

        if (activity.Type is not (ActivityTypes.Message or ActivityTypes.ConversationUpdate))
        {
            return null; // acknowledged and ignored: nothing of it is read
        }

        if (string.IsNullOrWhiteSpace(activity.Id))
        {
            return "The activity has no id.";
        }

        if (string.IsNullOrWhiteSpace(activity.ChannelId))
        {
            return "The activity has no channelId.";
        }

        if (!IsHttpUrl(activity.ServiceUrl))
        {
            return "The activity has no absolute http(s) serviceUrl.";
        }

        if (string.IsNullOrWhiteSpace(activity.Conversation?.Id))
        {
            return "The activity has no conversation id.";
        }

        if (string.IsNullOrWhiteSpace(activity.From?.Id))
        {
            return "The activity has no from.id.";
        }

        // Ids become index keys: an over-long one is refused here rather than failing the turn's write.
        return ChannelIds.FindOverLong(
            ("id", activity.Id),
            ("channelId", activity.ChannelId),
            ("conversation.id", activity.Conversation.Id),
            ("conversation.tenantId", activity.Conversation.TenantId),
            ("channelData.tenant.id", TeamsTenantId(activity)),
            ("from.id", activity.From.Id),
            ("recipient.id", activity.Recipient?.Id));
    }

    /// <summary>True for an absolute http or https URL (the only kind a Connector has).</summary>
    public static bool IsHttpUrl(string? url) =>
        !string.IsNullOrWhiteSpace(url) && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http";

    /// <summary>
    /// Maps a message, or the bot being added to a conversation, to an inbound message. Returns null for
    /// everything the bot acknowledges without acting on (typing, reactions, other members joining, invokes …).
    /// Call <see cref="FindProblem"/> first; an activity with a problem maps to null. Text longer than
    /// <paramref name="maxTextLength"/> (and the mention markup) is cut before any regex runs, and left for the
    /// pipeline to refuse.
    /// </summary>
    public static InboundMessage? ToInbound(
        Activity activity, DateTimeOffset receivedAt, int maxTextLength = int.MaxValue - ChannelText.MentionAllowance, bool authenticated = false)
    {
        if (FindProblem(activity) is not null)
        {
            return null;
        }

        return activity.Type switch
        {
            ActivityTypes.Message => MapMessage(activity, receivedAt, maxTextLength, authenticated),
            ActivityTypes.ConversationUpdate => MapConversationUpdate(activity, receivedAt, authenticated),
            _ => null,
        };
    }

    /// <summary>
    /// The reply activity for an outbound message: text always (channels without card support still show it), and its
    /// buttons either as an Adaptive Card (JSON; Teams, every group, every titled card) or, in a private chat on the other
    /// Bot Framework channels, as <see cref="SuggestedActions"/> (see <see cref="UsesSuggestedActions"/>). Addressed from the
    /// bot to the user, threaded under <see cref="ConversationReference.ReplyToId"/> when there is one.
    /// </summary>
    public static Activity ToReply(ConversationReference to, OutboundMessage message)
    {
        var reply = new Activity(ActivityTypes.Message)
        {
            From = new ChannelAccount(to.BotId, NullIfEmpty(to.BotName)),
            Recipient = string.IsNullOrEmpty(to.UserId) ? null : new ChannelAccount(to.UserId, NullIfEmpty(to.UserName)),
            Conversation = ToConversationAccount(to),
            ReplyToId = NullIfEmpty(to.ReplyToId),
            TextFormat = TextFormatTypes.Plain,
            Text = message.Text,
        };

        // Pictures go as media attachments (contentType + contentUrl), which Bot Framework channels show inline
        // ("Add media attachments to messages", learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-add-media-attachments);
        // they follow the card, when there is one, so the card stays the first attachment as it always was.
        var attachments = new List<Attachment>();
        if (message.Buttons.Count > 0 && UsesSuggestedActions(to, message))
        {
            reply.SuggestedActions = new SuggestedActions(actions: message.Buttons.Select(ToSuggestedAction).ToList());
        }
        else if (message.Buttons.Count > 0)
        {
            attachments.Add(new Attachment(AdaptiveCardContentType, content: BuildCard(message)));
        }

        attachments.AddRange(ToMediaAttachments(message.Attachments));

        if (attachments.Count > 0)
        {
            reply.Attachments = attachments;
        }

        return reply;
    }

    /// <summary>The message's pictures as media attachments; an address that is no http(s) URL is never sent.</summary>
    private static List<Attachment> ToMediaAttachments(IReadOnlyList<OutboundAttachment> attachments) =>
        attachments.Where(a => OutboundAttachment.IsWebUrl(a.Url))
            .Select(a => new Attachment(
                contentType: a.ContentType.Contains('/', StringComparison.Ordinal) ? a.ContentType : OutboundAttachment.DefaultImageType,
                contentUrl: a.Url,
                name: NullIfEmpty(a.Name)))
            .ToList();

    /// <summary>
    /// Quick replies for a question with choices in a private chat on Web Chat, Direct Line or the Emulator: they vanish once
    /// pressed, so a stale choice cannot be pressed again. Teams keeps the Adaptive Card everywhere (its suggested actions
    /// are imBack only and show at most three), and so does every group chat and every titled card (a worker's ticket card
    /// stays usable in the chat history).
    /// </summary>
    public static bool UsesSuggestedActions(ConversationReference to, OutboundMessage message) =>
        !to.IsGroup && string.IsNullOrEmpty(message.Title) && !string.Equals(to.Channel, BotChannels.Msteams, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The activity a proactive turn for <paramref name="to"/> starts from (<c>ContinueConversationAsync</c>): the bot is its
    /// recipient and the user its sender, so what the turn sends goes from the bot to the user, and its id is the message a
    /// reply threads under (none: the reply starts a new message in the conversation).
    /// </summary>
    public static Activity ToContinuation(ConversationReference to) => new(ActivityTypes.Event)
    {
        Name = ActivityEventNames.ContinueConversation,
        Id = NullIfEmpty(to.ReplyToId),
        ChannelId = to.Channel,
        ServiceUrl = to.ServiceUrl,
        Conversation = ToConversationAccount(to),
        From = string.IsNullOrEmpty(to.UserId) ? null : new ChannelAccount(to.UserId, NullIfEmpty(to.UserName)),
        Recipient = new ChannelAccount(to.BotId, NullIfEmpty(to.BotName)),
    };

    private static ConversationAccount ToConversationAccount(ConversationReference to) =>
        new(isGroup: to.IsGroup ? true : null, id: to.ConversationId, tenantId: NullIfEmpty(to.TenantId));

    private static InboundMessage MapMessage(Activity activity, DateTimeOffset receivedAt, int maxTextLength, bool authenticated)
    {
        var conversation = ToReference(activity);
        var rawText = activity.Text ?? "";
        var botMentioned = BotMentions(activity).Any();
        var text = ChannelText.IsOverLong(rawText, maxTextLength) ? ChannelText.Cut(rawText, maxTextLength) : CleanText(rawText, activity);

        // An Action.Submit (or a messageBack suggested action) with object data arrives as a message with empty text and
        // the data in value [AC-BLOG].
        string? buttonValue = null;
        var isSubmit = string.IsNullOrWhiteSpace(text) && activity.Value is JObject;
        if (isSubmit && activity.Value is JObject data && StringOf(data["value"]) is { } pressed && pressed.Length <= maxTextLength)
        {
            buttonValue = pressed; // our buttons carry short values; a longer one is no button of ours
        }

        return new InboundMessage
        {
            Id = activity.Id,
            Conversation = conversation,
            Kind = InboundKind.Message,
            Text = text,
            AddressedToBot = !conversation.IsGroup || botMentioned || isSubmit,
            ButtonValue = buttonValue,
            Attachments = MapAttachments(activity.Attachments),
            Timestamp = activity.Timestamp ?? receivedAt,
            Authenticated = authenticated,
        };
    }

    private static InboundMessage? MapConversationUpdate(Activity activity, DateTimeOffset receivedAt, bool authenticated)
    {
        var botId = activity.Recipient?.Id;
        var botAdded = !string.IsNullOrEmpty(botId)
            && activity.MembersAdded is { } added
            && added.Any(m => string.Equals(m?.Id, botId, StringComparison.Ordinal));
        if (!botAdded)
        {
            return null;
        }

        return new InboundMessage
        {
            Id = activity.Id,
            Conversation = ToReference(activity),
            Kind = InboundKind.BotAdded,
            AddressedToBot = true,
            Timestamp = activity.Timestamp ?? receivedAt,
            Authenticated = authenticated,
        };
    }

    private static ConversationReference ToReference(Activity activity)
    {
        var conversation = activity.Conversation;
        var isGroup = conversation.IsGroup == true
            || string.Equals(conversation.ConversationType, "groupChat", StringComparison.OrdinalIgnoreCase)
            || string.Equals(conversation.ConversationType, "channel", StringComparison.OrdinalIgnoreCase);

        return new ConversationReference
        {
            Channel = activity.ChannelId,
            ConversationId = conversation.Id,
            IsGroup = isGroup,
            UserId = activity.From.Id,
            UserName = activity.From.Name ?? "",
            BotId = activity.Recipient?.Id ?? "",
            BotName = activity.Recipient?.Name ?? "",
            ServiceUrl = activity.ServiceUrl,
            ReplyToId = activity.Id,
            TenantId = NullIfEmpty(conversation.TenantId) ?? TeamsTenantId(activity),
            Properties = NullIfEmpty(conversation.Name) is { } name
                ? new Dictionary<string, string> { [Broadcasts.GroupRegistry.NameProperty] = name }
                : new Dictionary<string, string>(),
        };
    }

    /// <summary>
    /// The tenant in Teams' channel data (<c>TeamsChannelData.Tenant.Id</c>), read from the JSON the SDK keeps so that a
    /// malformed channelData is no tenant rather than an exception.
    /// </summary>
    private static string? TeamsTenantId(Activity activity) =>
        activity.ChannelData is JObject data && data["tenant"] is JObject tenant ? NullIfEmpty(StringOf(tenant["id"])) : null;

    /// <summary>The bot's own mention entities: (name, text) of each, with the shapes a hostile sender could give them ignored.</summary>
    private static IEnumerable<(string? Name, string? Text)> BotMentions(Activity activity)
    {
        var botId = activity.Recipient?.Id;
        if (string.IsNullOrEmpty(botId) || activity.Entities is null)
        {
            return [];
        }

        return activity.Entities
            .Where(e => e is not null && string.Equals(e.Type, "mention", StringComparison.OrdinalIgnoreCase)
                && e.Properties?["mentioned"] is JObject mentioned && string.Equals(StringOf(mentioned["id"]), botId, StringComparison.Ordinal))
            .Select(e => (StringOf(((JObject)e.Properties["mentioned"]!)["name"]), StringOf(e.Properties["text"])));
    }

    /// <summary>Removes the bot's @mention (A.4.1), unwraps other mentions to their names and trims.</summary>
    private static string CleanText(string text, Activity activity)
    {
        foreach (var mention in BotMentions(activity))
        {
            // The entity's strings become patterns: a name or text longer than any mention markup is not one.
            var name = mention.Name is { Length: <= ChannelText.MentionAllowance } n ? n : null;
            var mentionText = mention.Text is { } t
                ? (t.Length <= ChannelText.MentionAllowance ? t : null)
                : (string.IsNullOrEmpty(name) ? null : $"<at>{name}</at>");
            if (!string.IsNullOrEmpty(mentionText))
            {
                text = Regex.Replace(text, Regex.Escape(mentionText), " ", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
            }

            // The entity text need not match the message text literally (Teams' own sample has
            // "<at>@Name</at>" in the entity and "<at>Name</at>" in the text), so also remove the tag by name.
            if (!string.IsNullOrEmpty(name))
            {
                text = Regex.Replace(text, $@"<at[^>]*>\s*@?{Regex.Escape(name)}\s*</at>", " ",
                    RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
            }
        }

        text = text.Replace("&nbsp;", " ", StringComparison.OrdinalIgnoreCase);
        // Teams writes "<at>Tom</at>is cool"; keep the name and put a space after it.
        text = AtTag().Replace(text, m => m.Groups["name"].Value + " ");
        text = RepeatedSpaces().Replace(text, " ");
        return text.Trim(s_trimChars);
    }

    private static List<InboundAttachment> MapAttachments(IList<Attachment>? attachments)
    {
        var result = new List<InboundAttachment>();
        foreach (var attachment in attachments ?? [])
        {
            if (attachment is null)
            {
                continue;
            }

            var contentType = attachment.ContentType ?? "";
            if (contentType.StartsWith("application/vnd.microsoft.card.", StringComparison.OrdinalIgnoreCase)
                || contentType.Equals("text/html", StringComparison.OrdinalIgnoreCase))
            {
                continue; // cards, and the HTML copy of the message text that Teams attaches
            }

            var url = attachment.ContentUrl;
            if (contentType.Equals(TeamsFileDownloadContentType, StringComparison.OrdinalIgnoreCase)
                && attachment.Content is JObject content && StringOf(content["downloadUrl"]) is { } downloadUrl)
            {
                url = downloadUrl; // Teams files: contentUrl is the SharePoint page, downloadUrl the bytes
            }

            if (!string.IsNullOrWhiteSpace(url))
            {
                result.Add(new InboundAttachment(contentType, url, NullIfEmpty(attachment.Name)));
            }
        }

        return result;
    }

    /// <summary>
    /// The Adaptive Card for a message with buttons, as JSON (the AdaptiveCards object model is not served): the title and
    /// text, and one Action.Submit per button whose data carries the button's value back in the activity's <c>value</c>.
    /// </summary>
    private static JObject BuildCard(OutboundMessage message)
    {
        var body = new JArray();
        if (!string.IsNullOrWhiteSpace(message.Title))
        {
            body.Add(new JObject { ["type"] = "TextBlock", ["text"] = message.Title, ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true });
        }

        if (!string.IsNullOrEmpty(message.Text))
        {
            body.Add(new JObject { ["type"] = "TextBlock", ["text"] = message.Text, ["wrap"] = true });
        }

        var actions = new JArray();
        foreach (var button in message.Buttons)
        {
            var data = ButtonData(button);
            // messageBack shows the button title in the chat as the resident's choice, and sends no text.
            data["msteams"] = new JObject { ["type"] = "messageBack", ["displayText"] = button.Title, ["text"] = "" };
            actions.Add(new JObject { ["type"] = "Action.Submit", ["title"] = button.Title, ["data"] = data });
        }

        return new JObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = "1.4",
            ["body"] = body,
            ["actions"] = actions,
        };
    }

    /// <summary>A messageBack action: it shows the title as the user's choice and sends the button's data in value, like Action.Submit.</summary>
    private static SchemaCardAction ToSuggestedAction(ButtonAction button) =>
        new(ActionTypes.MessageBack, button.Title, text: "", displayText: button.Title, value: ButtonData(button));

    private static JObject ButtonData(ButtonAction button) => new() { ["action"] = "button", ["value"] = button.Value };

    private static string? StringOf(JToken? token) => token is JValue { Type: JTokenType.String } value ? (string?)value : null;

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    [GeneratedRegex(@"<at(?:\s[^>]*)?>(?<name>.*?)</at>", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex AtTag();

    [GeneratedRegex(@"[ \t\u00A0]{2,}")]
    private static partial Regex RepeatedSpaces();
}
