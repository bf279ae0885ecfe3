using System.ComponentModel.DataAnnotations;

namespace CommunityBot.Channels.WeCom;

/// <summary>
/// Settings of the WeCom channel. The channel is on when <see cref="Token"/> and <see cref="EncodingAESKey"/> are
/// set; secrets come only from the environment (<c>WeCom__Token</c>, <c>WeCom__EncodingAESKey</c>, <c>WeCom__Secret</c>,
/// <c>WeCom__WebhookKeys__CHATID</c>).
/// </summary>
public sealed class WeComOptions : IValidatableObject
{
    public const string SectionName = "WeCom";

    /// <summary>The callback Token of the 智能机器人 (API 模式).</summary>
    public string? Token { get; set; }

    /// <summary>The callback EncodingAESKey: 43 characters of [A-Za-z0-9].</summary>
    public string? EncodingAESKey { get; set; }

    /// <summary>ReceiveId the callback crypto checks: "" for 企业内部智能机器人, the CorpID for 自建应用 callbacks.</summary>
    public string ReceiveId { get; set; } = "";

    /// <summary>The bot's display name; its leading "@name" is removed from group messages.</summary>
    public string BotName { get; set; } = "小灵通";

    /// <summary>企业ID, for access tokens (app messages to workers).</summary>
    public string? CorpId { get; set; }

    /// <summary>AgentId of the 自建应用 that sends app messages (cards) to grid workers.</summary>
    public int? AgentId { get; set; }

    /// <summary>The 自建应用's Secret; only from the environment.</summary>
    public string? Secret { get; set; }

    /// <summary>Group robot webhook keys by chatid, the fallback when a group's response_url is used up or expired.</summary>
    public Dictionary<string, string> WebhookKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Base of the WeCom server API (gettoken, message/send, webhook/send).</summary>
    [Required, Url]
    public string ApiBaseUrl { get; set; } = "https://qyapi.weixin.qq.com/cgi-bin/";

    /// <summary>Largest accepted callback body; a text callback is a few KB, an encrypted one a third more.</summary>
    [Range(1024, 4 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Callbacks whose <c>timestamp</c> is further than this from our clock, either way, are refused: a captured callback
    /// replayed after the message-id dedupe forgot it is not run again. Keep it well below <c>Turns:DedupeWindow</c>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:30", "1.00:00:00")]
    public TimeSpan ReplayWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long before its expiry an access_token is fetched again.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan TokenRefreshMargin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Group robot limit: "每个机器人发送的消息不能超过20条/分钟" (protocols B.2.3).</summary>
    [Range(1, 1000)]
    public int WebhookMessagesPerMinute { get; set; } = 20;

    /// <summary>App-message limit per member: 30/min, excess dropped silently (protocols B.2.4).</summary>
    [Range(1, 1000)]
    public int AppMessagesPerMemberPerMinute { get; set; } = 30;

    /// <summary>How long to stop calling an API after errcode 45009/45033 (minute-level blocks last 60 s, protocols B.3).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RateLimitBackoff { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>True when callbacks can be verified: Token and EncodingAESKey are set.</summary>
    public bool Enabled => !string.IsNullOrEmpty(Token) && !string.IsNullOrEmpty(EncodingAESKey);

    /// <summary>True when app messages can be sent: CorpId, Secret and AgentId are set.</summary>
    public bool AppMessagesEnabled => !string.IsNullOrEmpty(CorpId) && !string.IsNullOrEmpty(Secret) && AgentId is not null;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrEmpty(Token) != string.IsNullOrEmpty(EncodingAESKey))
        {
            yield return new ValidationResult(
                "WeCom needs both the Token and the EncodingAESKey (environment variables WeCom__Token and WeCom__EncodingAESKey), or neither.",
                [nameof(Token), nameof(EncodingAESKey)]);
        }

        if (Enabled && !WeComCrypto.IsValidEncodingAesKey(EncodingAESKey))
        {
            yield return new ValidationResult(
                "WeCom:EncodingAESKey must be exactly 43 characters of [A-Za-z0-9], as shown in the WeCom admin console.",
                [nameof(EncodingAESKey)]);
        }
    }
}
