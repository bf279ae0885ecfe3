using System.Text.Json;
using System.Text.RegularExpressions;
using CommunityBot.Dialogs.Conversation;

namespace CommunityBot.Channels.BotFramework;

/// <summary>Pure conversion between Bot Framework activities and the channel-neutral messages of the dialogs.</summary>
public static partial class ActivityMapper
{
    public const string AdaptiveCardContentType = "application/vnd.microsoft.card.adaptive";

    private const string TeamsFileDownloadContentType = "application/vnd.microsoft.teams.file.download.info";

    // Characters the trim at the end removes besides ASCII whitespace: no-break space and the
    // ideographic (full-width) space a Chinese IME types after an @mention.
    private static readonly char[] s_trimChars = [' ', '\t', '\r', '\n', '\u00A0', '\u3000'];

    /// <summary>
    /// Says what makes an activity unusable, or null when it can be mapped. Checked before authentication
    /// reads serviceUrl and channelId, so a malformed payload is a 400 rather than a confusing 401.
    /// </summary>
    public static string? FindProblem(ActivityPayload activity)
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

        if (string.IsNullOrWhiteSpace(activity.ServiceUrl) || !Uri.TryCreate(activity.ServiceUrl, UriKind.Absolute, out var serviceUri)
            || serviceUri.Scheme is not ("https" or "http"))
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
            ("channelData.tenant.id", ReadTenantFromChannelData(activity.ChannelData)),
            ("from.id", activity.From.Id),
            ("recipient.id", activity.Recipient?.Id));
    }

    /// <summary>
    /// Maps a message, or the bot being added to a conversation, to an inbound message. Returns null for
    /// everything the bot acknowledges without acting on (typing, reactions, other members joining …).
    /// Call <see cref="FindProblem"/> first; an activity with a problem maps to null. Text longer than
    /// <paramref name="maxTextLength"/> (and the mention markup) is cut before any regex runs, and left for the
    /// pipeline to refuse.
    /// </summary>
    public static InboundMessage? ToInbound(ActivityPayload activity, DateTimeOffset receivedAt, int maxTextLength = int.MaxValue - ChannelText.MentionAllowance)
    {
        if (FindProblem(activity) is not null)
        {
            return null;
        }

        return activity.Type switch
        {
            ActivityTypes.Message => MapMessage(activity, receivedAt, maxTextLength),
            ActivityTypes.ConversationUpdate => MapConversationUpdate(activity, receivedAt),
            _ => null,
        };
    }

    /// <summary>Builds the reply activity for an outbound message: text always, plus an Adaptive Card when it has buttons.</summary>
    public static ActivityPayload ToReply(ConversationReference to, OutboundMessage message)
    {
        var reply = new ActivityPayload
        {
            Type = ActivityTypes.Message,
            From = new ChannelAccountPayload { Id = to.BotId, Name = NullIfEmpty(to.BotName) },
            Recipient = string.IsNullOrEmpty(to.UserId) ? null : new ChannelAccountPayload { Id = to.UserId, Name = NullIfEmpty(to.UserName) },
            Conversation = new ConversationAccountPayload { Id = to.ConversationId, TenantId = to.TenantId },
            ReplyToId = NullIfEmpty(to.ReplyToId),
            TextFormat = "plain",
            // Kept next to the card so channels without card support still show the message.
            Text = message.Text,
        };

        if (message.Buttons.Count > 0)
        {
            reply.Attachments =
            [
                new AttachmentPayload
                {
                    ContentType = AdaptiveCardContentType,
                    Content = JsonSerializer.SerializeToElement(BuildCard(message)),
                },
            ];
        }

        return reply;
    }

    private static InboundMessage MapMessage(ActivityPayload activity, DateTimeOffset receivedAt, int maxTextLength)
    {
        var conversation = ToReference(activity);
        var rawText = activity.Text ?? "";
        var botMentioned = IsBotMentioned(activity);
        var text = ChannelText.IsOverLong(rawText, maxTextLength) ? ChannelText.Cut(rawText, maxTextLength) : CleanText(rawText, activity);

        // An Action.Submit with object data arrives as a message with empty text and the data in value [AC-BLOG].
        string? buttonValue = null;
        var isSubmit = string.IsNullOrWhiteSpace(text) && activity.Value is { ValueKind: JsonValueKind.Object };
        if (isSubmit && activity.Value!.Value.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String
            && value.GetString() is { } pressed && pressed.Length <= maxTextLength)
        {
            buttonValue = pressed; // our buttons carry short values; a longer one is no button of ours
        }

        return new InboundMessage
        {
            Id = activity.Id!,
            Conversation = conversation,
            Kind = InboundKind.Message,
            Text = text,
            AddressedToBot = !conversation.IsGroup || botMentioned || isSubmit,
            ButtonValue = buttonValue,
            Attachments = MapAttachments(activity.Attachments),
            Timestamp = activity.Timestamp ?? receivedAt,
        };
    }

    private static InboundMessage? MapConversationUpdate(ActivityPayload activity, DateTimeOffset receivedAt)
    {
        var botId = activity.Recipient?.Id;
        var botAdded = !string.IsNullOrEmpty(botId)
            && activity.MembersAdded is { } added
            && added.Any(m => string.Equals(m.Id, botId, StringComparison.Ordinal));
        if (!botAdded)
        {
            return null;
        }

        return new InboundMessage
        {
            Id = activity.Id!,
            Conversation = ToReference(activity),
            Kind = InboundKind.BotAdded,
            AddressedToBot = true,
            Timestamp = activity.Timestamp ?? receivedAt,
        };
    }

    private static ConversationReference ToReference(ActivityPayload activity)
    {
        var conversation = activity.Conversation!;
        var isGroup = conversation.IsGroup == true
            || string.Equals(conversation.ConversationType, "groupChat", StringComparison.OrdinalIgnoreCase)
            || string.Equals(conversation.ConversationType, "channel", StringComparison.OrdinalIgnoreCase);

        return new ConversationReference
        {
            Channel = activity.ChannelId!,
            ConversationId = conversation.Id!,
            IsGroup = isGroup,
            UserId = activity.From!.Id!,
            UserName = activity.From.Name ?? "",
            BotId = activity.Recipient?.Id ?? "",
            BotName = activity.Recipient?.Name ?? "",
            ServiceUrl = activity.ServiceUrl,
            ReplyToId = activity.Id,
            TenantId = NullIfEmpty(conversation.TenantId) ?? ReadTenantFromChannelData(activity.ChannelData),
            Properties = NullIfEmpty(conversation.Name) is { } name
                ? new Dictionary<string, string> { [Broadcasts.GroupRegistry.NameProperty] = name }
                : new Dictionary<string, string>(),
        };
    }

    private static string? ReadTenantFromChannelData(JsonElement? channelData)
    {
        if (channelData is { ValueKind: JsonValueKind.Object } data
            && data.TryGetProperty("tenant", out var tenant) && tenant.ValueKind == JsonValueKind.Object
            && tenant.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
        {
            return NullIfEmpty(id.GetString());
        }

        return null;
    }

    private static IEnumerable<EntityPayload> BotMentions(ActivityPayload activity)
    {
        var botId = activity.Recipient?.Id;
        if (string.IsNullOrEmpty(botId) || activity.Entities is null)
        {
            return [];
        }

        return activity.Entities.Where(e =>
            string.Equals(e.Type, "mention", StringComparison.OrdinalIgnoreCase)
            && string.Equals(e.Mentioned?.Id, botId, StringComparison.Ordinal));
    }

    private static bool IsBotMentioned(ActivityPayload activity) => BotMentions(activity).Any();

    /// <summary>Removes the bot's @mention (A.4.1), unwraps other mentions to their names and trims.</summary>
    private static string CleanText(string text, ActivityPayload activity)
    {
        foreach (var mention in BotMentions(activity))
        {
            // The entity's strings become patterns: a name or text longer than any mention markup is not one.
            var name = mention.Mentioned?.Name is { Length: <= ChannelText.MentionAllowance } n ? n : null;
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

    private static List<InboundAttachment> MapAttachments(List<AttachmentPayload>? attachments)
    {
        var result = new List<InboundAttachment>();
        foreach (var attachment in attachments ?? [])
        {
            var contentType = attachment.ContentType ?? "";
            if (contentType.StartsWith("application/vnd.microsoft.card.", StringComparison.OrdinalIgnoreCase)
                || contentType.Equals("text/html", StringComparison.OrdinalIgnoreCase))
            {
                continue; // cards, and the HTML copy of the message text that Teams attaches
            }

            var url = attachment.ContentUrl;
            if (contentType.Equals(TeamsFileDownloadContentType, StringComparison.OrdinalIgnoreCase)
                && attachment.Content is { ValueKind: JsonValueKind.Object } content
                && content.TryGetProperty("downloadUrl", out var downloadUrl) && downloadUrl.ValueKind == JsonValueKind.String)
            {
                url = downloadUrl.GetString(); // Teams files: contentUrl is the SharePoint page, downloadUrl the bytes
            }

            if (!string.IsNullOrWhiteSpace(url))
            {
                result.Add(new InboundAttachment(contentType, url, NullIfEmpty(attachment.Name)));
            }
        }

        return result;
    }

    private static Dictionary<string, object> BuildCard(OutboundMessage message)
    {
        var body = new List<object>();
        if (!string.IsNullOrWhiteSpace(message.Title))
        {
            body.Add(new Dictionary<string, object> { ["type"] = "TextBlock", ["text"] = message.Title, ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true });
        }

        if (!string.IsNullOrEmpty(message.Text))
        {
            body.Add(new Dictionary<string, object> { ["type"] = "TextBlock", ["text"] = message.Text, ["wrap"] = true });
        }

        var actions = message.Buttons.Select(button => new Dictionary<string, object>
        {
            ["type"] = "Action.Submit",
            ["title"] = button.Title,
            ["data"] = new Dictionary<string, object>
            {
                ["action"] = "button",
                ["value"] = button.Value,
                // messageBack shows the button title in the chat as the resident's choice, and sends no text.
                ["msteams"] = new Dictionary<string, object> { ["type"] = "messageBack", ["displayText"] = button.Title, ["text"] = "" },
            },
        }).ToList();

        return new Dictionary<string, object>
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = "1.4",
            ["body"] = body,
            ["actions"] = actions,
        };
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    [GeneratedRegex(@"<at(?:\s[^>]*)?>(?<name>.*?)</at>", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex AtTag();

    [GeneratedRegex(@"[ \t\u00A0]{2,}")]
    private static partial Regex RepeatedSpaces();
}
