using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
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

    /// <summary>Longest response_url kept (WeCom's are about 150 characters).</summary>
    public const int MaxUrlLength = 2048;

    /// <summary>"该 response_url 有效期为 1 个小时" (protocols B.1.7).</summary>
    public static readonly TimeSpan ResponseUrlLifetime = TimeSpan.FromHours(1);

    /// <summary>The last second <see cref="DateTimeOffset"/> can hold (9999-12-31).</summary>
    private const long MaxUnixSeconds = 253_402_300_799;

    /// <summary>
    /// Maps a decrypted callback. Returns false with a problem for malformed JSON; true with a null message for
    /// callbacks the bot has nothing to do with (stream refresh, feedback, unknown types: answered with an empty reply).
    /// Over-long ids are a problem; text longer than <paramref name="maxTextLength"/> is cut before it is read further.
    /// </summary>
    public static bool TryMap(
        ReadOnlySpan<byte> json, string botName, DateTimeOffset now, out InboundMessage? message, out string? problem,
        int maxTextLength = int.MaxValue - ChannelText.MentionAllowance)
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
            try
            {
                return TryMap(document.RootElement, botName, now, maxTextLength, out message, out problem);
            }
            catch (InvalidOperationException)
            {
                // GetString on an escaped lone surrogate ("\ud800"): no .NET string holds it.
                message = null;
                problem = "The decrypted callback has a string that is not valid UTF-16.";
                return false;
            }
        }
    }

    private static bool TryMap(JsonElement root, string botName, DateTimeOffset now, int maxTextLength, out InboundMessage? message, out string? problem)
    {
        message = null;
        problem = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            problem = "The decrypted callback is not a JSON object.";
            return false;
        }

        if (FindWrongType(root) is { } wrongType)
        {
            problem = wrongType;
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

        var responseUrl = String(root, "response_url");
        problem = ChannelIds.FindOverLong(("msgid", msgId), ("from.userid", userId), ("chatid", chatId), ("aibotid", String(root, "aibotid")), ("chattype", chatType))
            ?? (responseUrl is { Length: > MaxUrlLength } ? $"response_url is longer than {MaxUrlLength} characters." : null);
        if (problem is not null)
        {
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

        // A response_url that is no http(s) address (the official test vector's "RESPONSEURL") cannot be replied to:
        // the message is still taken, and its reply goes by the group robot or an app message instead.
        if (responseUrl is { Length: > 0 } && IsHttpUrl(responseUrl))
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
        var timestamp = root.TryGetProperty("create_time", out var created) ? DateTimeOffset.FromUnixTimeSeconds(created.GetInt64()) : now;
        var inbound = new InboundMessage
        {
            Id = msgId,
            Conversation = conversation,
            AddressedToBot = true, // WeCom delivers group messages only when they @-mention the bot (B.1.1)
            Timestamp = timestamp,
        };

        message = msgType switch
        {
            "text" => inbound with { Text = StripMention(Sub(root, "text", "content"), botName, isGroup, maxTextLength) },
            "voice" => inbound with { Text = ChannelText.Bound(Sub(root, "voice", "content") ?? "", maxTextLength).Trim() },
            "image" => inbound with { Attachments = Attachment("image", Sub(root, "image", "url")) },
            "file" => inbound with { Attachments = Attachment("file", Sub(root, "file", "url")) },
            "mixed" => MapMixed(inbound, root, botName, isGroup, maxTextLength),
            "event" => MapEvent(inbound, root, maxTextLength),
            _ => null, // stream refresh (we never open a stream) and types added later
        };
        return true;
    }

    /// <summary>Removes a leading "@BotName" (or, in a group, any leading "@word") and trims; over-long text is only cut.</summary>
    public static string StripMention(string? text, string botName, bool isGroup, int maxTextLength = int.MaxValue - ChannelText.MentionAllowance)
    {
        if (ChannelText.IsOverLong(text ?? "", maxTextLength))
        {
            return ChannelText.Cut(text!, maxTextLength);
        }

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

    /// <summary>
    /// Renders an outbound message as WeCom markdown; buttons become a list the resident can answer by typing, and pictures
    /// (with <paramref name="pictureLinks"/>) a link each: the group robot's and the intelligent robot's markdown take links
    /// but no inline image ("链接：[这是一个链接](https://work.weixin.qq.com/api/doc)", 群机器人配置说明
    /// developer.work.weixin.qq.com/document/path/99110, markdown类型), and a markdown reply cannot carry a second message.
    /// </summary>
    public static string ToMarkdown(OutboundMessage message, bool pictureLinks = true)
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

        if (pictureLinks)
        {
            lines.AddRange(Pictures([message]).Select(p => $"[{PictureTitle(p)}]({MarkdownUrl(p.Url)})"));
        }

        return string.Join("\n", lines);
    }

    /// <summary>Joins the markdown of several replies into one message (a response_url takes one call).</summary>
    public static string ToMarkdown(IEnumerable<OutboundMessage> messages, bool pictureLinks = true) =>
        string.Join("\n\n", messages.Select(m => ToMarkdown(m, pictureLinks)));

    /// <summary>
    /// The pictures of the messages that may be sent (http(s) addresses only), at most the eight articles a news message
    /// holds ("图文消息，一个图文消息支持1到8条图文", 发送应用消息 developer.work.weixin.qq.com/document/path/90236, news消息).
    /// </summary>
    public static IReadOnlyList<OutboundAttachment> Pictures(IEnumerable<OutboundMessage> messages) =>
        messages.SelectMany(m => m.Attachments).Where(a => OutboundAttachment.IsWebUrl(a.Url)).Take(MaxNewsArticles).ToList();

    /// <summary>
    /// An app <c>news</c> message showing the pictures by their address (<c>picurl</c>, "图文消息的图片链接，支持JPG、PNG格式",
    /// and <c>url</c>, "点击后跳转的链接", document 90236): the only app message that shows an image without uploading it
    /// as media first. Null when there is no picture.
    /// </summary>
    public static JsonObject? ToNewsMessage(IEnumerable<OutboundMessage> messages)
    {
        var pictures = Pictures(messages);
        if (pictures.Count == 0)
        {
            return null;
        }

        var articles = new JsonArray();
        foreach (var picture in pictures)
        {
            articles.Add(new JsonObject { ["title"] = PictureTitle(picture), ["url"] = picture.Url, ["picurl"] = picture.Url });
        }

        return new JsonObject { ["msgtype"] = "news", ["news"] = new JsonObject { ["articles"] = articles } };
    }

    private const int MaxNewsArticles = 8;

    private static string PictureTitle(OutboundAttachment picture) =>
        string.IsNullOrWhiteSpace(picture.Name) ? "查看照片" : picture.Name.Replace('[', '(').Replace(']', ')');

    // A link target may not hold spaces or parentheses in markdown: the escaped form of the same address.
    private static string MarkdownUrl(string url) =>
        new Uri(url).AbsoluteUri.Replace("(", "%28", StringComparison.Ordinal).Replace(")", "%29", StringComparison.Ordinal);

    private static InboundMessage MapMixed(InboundMessage inbound, JsonElement root, string botName, bool isGroup, int maxTextLength)
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

        return inbound with { Text = StripMention(string.Join("\n", texts), botName, isGroup, maxTextLength), Attachments = attachments };
    }

    private static InboundMessage? MapEvent(InboundMessage inbound, JsonElement root, int maxTextLength)
    {
        if (!root.TryGetProperty("event", out var evt) || evt.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return String(evt, "eventtype") switch
        {
            "enter_chat" => inbound with { Kind = InboundKind.BotAdded },
            // Our cards' keys are short; a longer one is no button of ours.
            "template_card_event" when Sub(evt, "template_card_event", "event_key") is { Length: > 0 } key && key.Length <= maxTextLength =>
                inbound with { ButtonValue = key },
            _ => null, // feedback_event takes only an empty reply (B.1.4)
        };
    }

    /// <summary>
    /// Says which field we read has another type than WeCom documents (B.1.4), or null. A field of the wrong type is a
    /// malformed callback, not an absent field: a number for a msgid or an array for the text is refused, not guessed at.
    /// </summary>
    private static string? FindWrongType(JsonElement root)
    {
        foreach (var name in (ReadOnlySpan<string>)["msgid", "msgtype", "chattype", "chatid", "aibotid", "response_url"])
        {
            if (root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.String)
            {
                return $"{name} must be a string.";
            }
        }

        if (root.TryGetProperty("create_time", out var created)
            && !(created.ValueKind == JsonValueKind.Number && created.TryGetInt64(out var seconds) && seconds is >= 0 and <= MaxUnixSeconds))
        {
            return "create_time must be a Unix time in seconds.";
        }

        foreach (var (name, field) in (ReadOnlySpan<(string, string)>)[("from", "userid"), ("text", "content"), ("voice", "content"), ("image", "url"), ("file", "url"), ("mixed", "msg_item"), ("event", "eventtype")])
        {
            if (!root.TryGetProperty(name, out var inner))
            {
                continue;
            }

            if (inner.ValueKind != JsonValueKind.Object)
            {
                return $"{name} must be an object.";
            }

            var expected = name == "mixed" ? JsonValueKind.Array : JsonValueKind.String;
            if (inner.TryGetProperty(field, out var value) && value.ValueKind != expected)
            {
                return $"{name}.{field} must be {(expected == JsonValueKind.Array ? "an array" : "a string")}.";
            }
        }

        return null;
    }

    private static IReadOnlyList<InboundAttachment> Attachment(string contentType, string? url) =>
        string.IsNullOrEmpty(url) ? [] : [new InboundAttachment(contentType, url)];

    /// <summary>An address the client can post a reply to later; anything else would fail every delivery attempt.</summary>
    private static bool IsHttpUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static string? Sub(JsonElement element, string objectName, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(objectName, out var inner) ? String(inner, name) : null;
}
