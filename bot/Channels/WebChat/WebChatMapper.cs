using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using CommunityBot.Dialogs.Conversation;

namespace CommunityBot.Channels.WebChat;

/// <summary>Pure conversion of the page's posts into <see cref="InboundMessage"/>, with the checks an edge makes.</summary>
public static partial class WebChatMapper
{
    public const string ChannelId = "local";
    public const string BotId = "local-bot";
    public const int MaxTextLength = 2_000;
    public const int MaxUserNameLength = 32;
    public const int MaxIdLength = 64;

    /// <summary>
    /// Checks <paramref name="request"/> and maps it. On failure <paramref name="error"/> is a bilingual
    /// sentence fit for a ProblemDetails detail: residents read Chinese, developers may not.
    /// </summary>
    public static bool TryMap(
        WebChatMessageRequest request,
        string botName,
        DateTimeOffset now,
        [NotNullWhen(true)] out InboundMessage? message,
        [NotNullWhen(false)] out string? error)
    {
        message = null;
        error = Validate(request);
        if (error is not null)
        {
            return false;
        }

        var text = request.Text ?? "";
        var stripped = StripMention(text, botName, out var mentioned);
        var pressedButton = !string.IsNullOrEmpty(request.ButtonValue);
        var id = string.IsNullOrEmpty(request.MessageId) ? Guid.NewGuid().ToString("N") : request.MessageId;

        message = new InboundMessage
        {
            Id = id,
            Conversation = new ConversationReference
            {
                Channel = ChannelId,
                ConversationId = request.ConversationId!,
                IsGroup = request.IsGroup,
                UserId = request.UserId!,
                UserName = string.IsNullOrWhiteSpace(request.UserName) ? request.UserId! : request.UserName.Trim(),
                BotId = BotId,
                BotName = botName,
                ReplyToId = id,
            },
            Text = stripped,
            // A group hears the bot only when mentioned; a private chat and a pressed button always address it.
            AddressedToBot = !request.IsGroup || mentioned || pressedButton,
            ButtonValue = pressedButton ? request.ButtonValue : null,
            Attachments = string.IsNullOrEmpty(request.ImageUrl) ? [] : [new InboundAttachment("image", request.ImageUrl)],
            Timestamp = now,
        };
        return true;
    }

    /// <summary>The first problem with the request, or null when it can be mapped.</summary>
    public static string? Validate(WebChatMessageRequest request)
    {
        if (!IsValidId(request.ConversationId))
        {
            return "会话编号无效：需为 1–64 位字母、数字或 _-:. 。Invalid conversationId: 1–64 characters of A–Z, a–z, 0–9, _ - : .";
        }

        if (!IsValidId(request.UserId))
        {
            return "用户编号无效：需为 1–64 位字母、数字或 _-:. 。Invalid userId: 1–64 characters of A–Z, a–z, 0–9, _ - : .";
        }

        if (request.MessageId is { Length: > 0 } && !IsValidId(request.MessageId))
        {
            return "消息编号无效：需为 1–64 位字母、数字或 _-:. 。Invalid messageId: 1–64 characters of A–Z, a–z, 0–9, _ - : .";
        }

        if (request.UserName is { Length: > MaxUserNameLength })
        {
            return $"昵称过长：最多 {MaxUserNameLength} 个字符。userName is too long: at most {MaxUserNameLength} characters.";
        }

        if (request.Text is { Length: > MaxTextLength })
        {
            return $"消息过长：最多 {MaxTextLength} 个字符，请分几次发送。Message text is too long: at most {MaxTextLength:N0} characters.";
        }

        if (request.ButtonValue is { Length: > MaxTextLength })
        {
            return $"按钮值过长：最多 {MaxTextLength} 个字符。buttonValue is too long: at most {MaxTextLength:N0} characters.";
        }

        if (request.ImageUrl is { Length: > 0 } image && (image.Length > MaxTextLength || !OutboundAttachment.IsWebUrl(image)))
        {
            return "图片地址无效：需为 http(s) 链接。imageUrl must be an absolute http(s) URL of at most 2,000 characters.";
        }

        if (string.IsNullOrWhiteSpace(request.Text) && string.IsNullOrEmpty(request.ButtonValue) && string.IsNullOrEmpty(request.ImageUrl))
        {
            return "消息内容为空。The message has no text and no button value.";
        }

        return null;
    }

    public static bool IsValidId([NotNullWhen(true)] string? id) => id is not null && IdPattern().IsMatch(id);

    /// <summary>
    /// Removes every @-mention of the bot (half-width @ or full-width ＠, with an optional half- or
    /// full-width space after the name, as chat clients insert one) and trims the rest.
    /// </summary>
    public static string StripMention(string text, string botName, out bool mentioned)
    {
        var pattern = "[@＠]" + Regex.Escape(botName) + "[ \u3000]?";
        mentioned = Regex.IsMatch(text, pattern);
        return mentioned ? Regex.Replace(text, pattern, " ").Trim() : text.Trim();
    }

    [GeneratedRegex(@"^[A-Za-z0-9_\-:.]{1,64}\z")]
    private static partial Regex IdPattern();
}
