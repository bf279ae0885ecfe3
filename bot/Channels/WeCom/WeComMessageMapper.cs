using System.Globalization;
using System.Text.Json;
using CommunityBot.Dialogs.Conversation;

namespace CommunityBot.Channels.WeCom;

/// <summary>
/// Pure conversion of decrypted 智能机器人 callbacks (protocols B.1.4) to <see cref="InboundMessage"/>, and of
/// outbound messages to WeCom markdown. No I/O.
/// </summary>
public static class WeComMessageMapper
{
    public const string ChannelId = "wecom";
    public const string ResponseUrlKey = "response_url";
    public const string ResponseUrlExpiresKey = "response_url_expires";
    public const string ChatTypeKey = "chattype";
    public const string AiBotIdKey = "aibotid";
    public const string ChatIdKey = "chatid";

    /// <summary>"该 response_url 有效期为 1 个小时" (protocols B.1.7).</summary>
    public static readonly TimeSpan ResponseUrlLifetime = TimeSpan.FromHours(1);

    /// <summary>
    /// Maps a decrypted callback. Returns false with a problem for malformed JSON; true with a null message for
    /// callbacks the bot has nothing to do with (stream refresh, feedback, unknown types: answered with an empty reply).
    /// </summary>
    public static bool TryMap(ReadOnlySpan<byte> json, string botName, DateTimeOffset now, out InboundMessage? message, out string? problem)
    {
        message = null;
        problem = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException)
        {
            problem = "The decrypted callback is not JSON.";
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problem = "The decrypted callback is not a JSON object.";
                return false;
            }

            var msgId = String(root, "msgid");
            var msgType = String(root, "msgtype");
            var userId = root.TryGetProperty("from", out var from) && from.ValueKind == JsonValueKind.Object ? String(from, "userid") : null;
            if (string.IsNullOrEmpty(msgId) || string.IsNullOrEmpty(msgType) || string.IsNullOrEmpty(userId))
            {
                problem = "The callback lacks msgid, msgtype or from.userid.";
                return false;
            }

            var chatType = String(root, "chattype") ?? "single";
            var isGroup = chatType == "group";
            var chatId = String(root, "chatid");
            if (isGroup && string.IsNullOrEmpty(chatId))
            {
                problem = "A group callback lacks chatid.";
                return false;
            }

            var properties = new Dictionary<string, string>(StringComparer.Ordinal) { [ChatTypeKey] = chatType };
            if (String(root, "aibotid") is { Length: > 0 } aiBotId)
            {
                properties[AiBotIdKey] = aiBotId;
            }

            if (isGroup)
            {
                properties[ChatIdKey] = chatId!;
            }

            if (String(root, "response_url") is { Length: > 0 } responseUrl)
            {
                properties[ResponseUrlKey] = responseUrl;
                properties[ResponseUrlExpiresKey] = (now + ResponseUrlLifetime).ToString("O", CultureInfo.InvariantCulture);
            }

            var conversation = new ConversationReference
            {
                Channel = ChannelId,
                ConversationId = isGroup ? chatId! : "single:" + userId,
                IsGroup = isGroup,
                UserId = userId,
                BotId = properties.GetValueOrDefault(AiBotIdKey, ""),
                BotName = botName,
                ReplyToId = msgId,
                Properties = properties,
            };
            var timestamp = root.TryGetProperty("create_time", out var created) && created.TryGetInt64(out var seconds)
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : now;
            var inbound = new InboundMessage
            {
                Id = msgId,
                Conversation = conversation,
                AddressedToBot = true, // WeCom delivers group messages only when they @-mention the bot (B.1.1)
                Timestamp = timestamp,
            };

            message = msgType switch
            {
                "text" => inbound with { Text = StripMention(Sub(root, "text", "content"), botName, isGroup) },
                "voice" => inbound with { Text = (Sub(root, "voice", "content") ?? "").Trim() },
                "image" => inbound with { Attachments = Attachment("image", Sub(root, "image", "url")) },
                "file" => inbound with { Attachments = Attachment("file", Sub(root, "file", "url")) },
                "mixed" => MapMixed(inbound, root, botName, isGroup),
                "event" => MapEvent(inbound, root),
                _ => null, // stream refresh (we never open a stream) and types added later
            };
            return true;
        }
    }

    /// <summary>Removes a leading "@BotName" (or, in a group, any leading "@word") and trims.</summary>
    public static string StripMention(string? text, string botName, bool isGroup)
    {
        var result = (text ?? "").Trim();
        var mention = "@" + botName;
        if (botName.Length > 0 && result.StartsWith(mention, StringComparison.Ordinal))
        {
            return result[mention.Length..].Trim();
        }

        if (isGroup && result.StartsWith('@'))
        {
            // A group message reaches us only when it mentions the bot, so a leading @word is our (renamed) bot.
            var end = result.AsSpan().IndexOfAny(" \u2005\u00a0\t\n");
            return end < 0 ? "" : result[end..].Trim();
        }

        return result;
    }

    /// <summary>Renders an outbound message as WeCom markdown; buttons become a list the resident can answer by typing.</summary>
    public static string ToMarkdown(OutboundMessage message)
    {
        var lines = new List<string>();
        if (!string.IsNullOrEmpty(message.Title))
        {
            lines.Add("**" + message.Title + "**");
        }

        lines.Add(message.Text);
        if (message.Buttons.Count > 0)
        {
            lines.AddRange(message.Buttons.Select(b => "> " + b.Title));
        }

        return string.Join("\n", lines);
    }

    /// <summary>Joins the markdown of several replies into one message (a response_url takes one call).</summary>
    public static string ToMarkdown(IEnumerable<OutboundMessage> messages) =>
        string.Join("\n\n", messages.Select(ToMarkdown));

    private static InboundMessage MapMixed(InboundMessage inbound, JsonElement root, string botName, bool isGroup)
    {
        var texts = new List<string>();
        var attachments = new List<InboundAttachment>();
        if (root.TryGetProperty("mixed", out var mixed) && mixed.TryGetProperty("msg_item", out var items) && items.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in items.EnumerateArray())
            {
                switch (String(item, "msgtype"))
                {
                    case "text" when Sub(item, "text", "content") is { } content:
                        texts.Add(content);
                        break;
                    case "image" when Sub(item, "image", "url") is { Length: > 0 } url:
                        attachments.Add(new InboundAttachment("image", url));
                        break;
                }
            }
        }

        return inbound with { Text = StripMention(string.Join("\n", texts), botName, isGroup), Attachments = attachments };
    }

    private static InboundMessage? MapEvent(InboundMessage inbound, JsonElement root)
    {
        if (!root.TryGetProperty("event", out var evt) || evt.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return String(evt, "eventtype") switch
        {
            "enter_chat" => inbound with { Kind = InboundKind.BotAdded },
            "template_card_event" when Sub(evt, "template_card_event", "event_key") is { Length: > 0 } key =>
                inbound with { ButtonValue = key },
            _ => null, // feedback_event takes only an empty reply (B.1.4)
        };
    }

    private static IReadOnlyList<InboundAttachment> Attachment(string contentType, string? url) =>
        string.IsNullOrEmpty(url) ? [] : [new InboundAttachment(contentType, url)];

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static string? Sub(JsonElement element, string objectName, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(objectName, out var inner) ? String(inner, name) : null;
}
