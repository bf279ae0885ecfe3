using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CommunityBot.Dialogs.Conversation;
using Microsoft.Extensions.Options;

namespace CommunityBot.Channels.WeCom;

/// <summary>
/// Sends to WeCom: replies through the callback's single-use <c>response_url</c> (protocols B.1.7), falling back to
/// the group robot webhook (B.2.3) or an app message (B.2.4) when it is used up or expired; app messages and
/// template cards to grid workers with a cached access_token (B.3). Rate limits are kept here, and a send over a
/// limit throws <see cref="ChannelRetryLaterException"/> (scoped to the robot, member or API, kept in <see cref="WeComSendLedger"/>)
/// so the outbox tries it again later, without counting an attempt, instead of WeCom dropping it.
/// </summary>
public sealed partial class WeComClient : IBatchingChannelClient
{
    private const int ResponseUrlMaxBytes = 20480;
    private const int WebhookMarkdownMaxBytes = 4096;
    private const int AppTextMaxBytes = 2048;

    private readonly HttpClient _http;
    private readonly WeComOptions _options;
    private readonly WeComAccessTokenCache _tokens;
    private readonly WeComSendLedger _ledger;
    private readonly TimeProvider _time;
    private readonly ILogger<WeComClient> _logger;

    public WeComClient(
        HttpClient http,
        IOptions<WeComOptions> options,
        WeComAccessTokenCache tokens,
        WeComSendLedger ledger,
        TimeProvider time,
        ILogger<WeComClient> logger)
    {
        _http = http;
        _options = options.Value;
        _tokens = tokens;
        _ledger = ledger;
        _time = time;
        _logger = logger;
    }

    public bool Handles(string channel) => channel == WeComMessageMapper.ChannelId;

    /// <summary>Delivers a reply: response_url while it is fresh and unused, else the group webhook or an app message.</summary>
    public Task SendAsync(ConversationReference to, OutboundMessage message, CancellationToken cancellationToken) =>
        SendAsync(to, [message], cancellationToken);

    /// <summary>Delivers several replies of one turn as one message (a response_url takes a single call).</summary>
    public async Task SendAsync(ConversationReference to, IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken)
    {
        var markdown = WeComMessageMapper.ToMarkdown(messages);
        if (await TrySendToResponseUrlAsync(to, markdown, cancellationToken))
        {
            return;
        }

        if (to.IsGroup)
        {
            var chatId = to.Properties.GetValueOrDefault(WeComMessageMapper.ChatIdKey, to.ConversationId);
            if (!_options.WebhookKeys.TryGetValue(chatId, out var key))
            {
                // Nothing this process can send to: fail it at once (shown to staff) rather than retry for 20 minutes.
                throw new ChannelDeliveryRejectedException(
                    $"The response_url of group {chatId} is used up or expired and no group robot webhook key is configured for it (WeCom:WebhookKeys).");
            }

            await SendWebhookMarkdownAsync(key, markdown, cancellationToken);
            return;
        }

        // A private message with buttons (a worker's ticket card): the text as an app message, then the buttons as a
        // button_interaction card whose presses come back as events carrying the button's value.
        // Pictures follow the text as a news message (an app text shows no markdown link).
        var text = WeComMessageMapper.ToMarkdown(messages, pictureLinks: false);
        var news = WeComMessageMapper.ToNewsMessage(messages);
        var withButtons = messages.LastOrDefault(m => m.Buttons.Count > 0);
        await SendAppTextAsync(to.UserId, text, cancellationToken);
        if (news is not null)
        {
            await SendAppMessageAsync(to.UserId, news, cancellationToken);
        }

        if (withButtons is null)
        {
            return;
        }

        var title = withButtons.Title ?? withButtons.Text.Split('\n')[0];
        await SendTemplateCardAsync(
            to.UserId, new WeComTemplateCard(Guid.NewGuid().ToString("N"), title, null, FitButtons(withButtons.Buttons)), cancellationToken);
    }

    /// <summary>
    /// A button_interaction card takes at most six buttons (WeCom 发送应用消息 template_card docs, "button_list 列表长度不超过6"):
    /// when there are more, the first five and the last are kept (the last is the one that finishes the work, e.g. 办结).
    /// </summary>
    public static IReadOnlyList<CardAction> FitButtons(IReadOnlyList<CardAction> buttons) =>
        buttons.Count <= MaxCardButtons ? buttons : [.. buttons.Take(MaxCardButtons - 1), buttons[^1]];

    private const int MaxCardButtons = 6;

    /// <summary>Posts markdown to a group robot webhook (≤20 messages/minute per robot).</summary>
    public async Task SendWebhookMarkdownAsync(string webhookKey, string markdown, CancellationToken cancellationToken)
    {
        var limitKey = "webhook:" + webhookKey;
        ThrowIfBlocked(limitKey, "group robot webhook");
        if (_ledger.TryAcquire(limitKey, _options.WebhookMessagesPerMinute) is { } wait)
        {
            throw RetryLater($"group robot webhook limit of {_options.WebhookMessagesPerMinute}/min reached", wait, "group robot");
        }

        var body = new JsonObject
        {
            ["msgtype"] = "markdown",
            ["markdown"] = new JsonObject { ["content"] = Truncate(markdown, WebhookMarkdownMaxBytes) },
        };
        var result = await PostJsonAsync(Api("webhook/send?key=" + Uri.EscapeDataString(webhookKey)), body, cancellationToken);
        Check("webhook/send", limitKey, result);
        LogSent("webhook/send");
    }

    /// <summary>Sends an app text message to one member (a grid worker, or a resident's single chat fallback).</summary>
    public Task SendAppTextAsync(string userId, string text, CancellationToken cancellationToken) =>
        SendAppMessageAsync(userId, new JsonObject
        {
            ["msgtype"] = "text",
            ["text"] = new JsonObject { ["content"] = Truncate(text, AppTextMaxBytes) },
        }, cancellationToken);

    /// <summary>Sends a button_interaction template card to a member; a pressed button comes back as its event_key.</summary>
    public Task SendTemplateCardAsync(string userId, WeComTemplateCard card, CancellationToken cancellationToken)
    {
        var buttons = new JsonArray();
        foreach (var button in card.Buttons)
        {
            buttons.Add(new JsonObject { ["text"] = button.Title, ["style"] = 1, ["key"] = button.Value });
        }

        var mainTitle = new JsonObject { ["title"] = card.Title };
        if (!string.IsNullOrEmpty(card.Description))
        {
            mainTitle["desc"] = card.Description;
        }

        return SendAppMessageAsync(userId, new JsonObject
        {
            ["msgtype"] = "template_card",
            ["template_card"] = new JsonObject
            {
                ["card_type"] = "button_interaction",
                ["main_title"] = mainTitle,
                ["task_id"] = card.TaskId,
                ["button_list"] = buttons,
            },
        }, cancellationToken);
    }

    private async Task SendAppMessageAsync(string userId, JsonObject message, CancellationToken cancellationToken)
    {
        if (!_options.AppMessagesEnabled)
        {
            throw new ChannelDeliveryRejectedException(
                "App messages need WeCom:CorpId, WeCom:AgentId and the environment variable WeCom__Secret.");
        }

        const string api = "message/send";
        ThrowIfBlocked(api, api);
        var limitKey = "app:" + userId;
        // "每应用对同一个成员不可超过30次/分钟 … 超过部分会被丢弃不下发" (B.2.4): hold back rather than lose it.
        if (_ledger.TryAcquire(limitKey, _options.AppMessagesPerMemberPerMinute) is { } wait)
        {
            throw RetryLater($"app message limit of {_options.AppMessagesPerMemberPerMinute}/min per member reached", wait, "member");
        }

        message["touser"] = userId;
        message["agentid"] = _options.AgentId;
        string? stale = null;
        for (var attempt = 1; ; attempt++)
        {
            var token = await GetTokenAsync(stale, cancellationToken);
            var result = await PostJsonAsync(Api("message/send?access_token=" + Uri.EscapeDataString(token)), message, cancellationToken);
            if (result.ErrorCode is 40014 or 42001 && attempt == 1)
            {
                // "企业微信可能会出于运营需要，提前使access_token失效" (B.3): fetch a new one and try once more.
                LogTokenRejected(result.ErrorCode);
                stale = token;
                continue;
            }

            Check(api, api, result);
            LogSent(api);
            return;
        }
    }

    private async Task<bool> TrySendToResponseUrlAsync(ConversationReference to, string markdown, CancellationToken cancellationToken)
    {
        if (!to.Properties.TryGetValue(WeComMessageMapper.ResponseUrlKey, out var url) ||
            !to.Properties.TryGetValue(WeComMessageMapper.ResponseUrlExpiresKey, out var expiresText) ||
            !DateTimeOffset.TryParse(expiresText, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expires) ||
            expires <= _time.GetUtcNow() ||
            !_ledger.TryClaimResponseUrl(url, expires))
        {
            return false;
        }

        var body = new JsonObject
        {
            ["msgtype"] = "markdown",
            ["markdown"] = new JsonObject { ["content"] = Truncate(markdown, ResponseUrlMaxBytes) },
        };
        ApiResult result;
        try
        {
            result = await PostJsonAsync(new Uri(url), body, cancellationToken);
        }
        catch
        {
            _ledger.ReleaseResponseUrl(url); // not used: the outbox retry may try it again
            throw;
        }

        if (result.ErrorCode == 0)
        {
            LogSent("response_url");
            return true;
        }

        // Its error codes are not documented (protocols D.4): treat any refusal as "used up" and fall back.
        LogResponseUrlRefused(result.ErrorCode);
        return false;
    }

    private Task<string> GetTokenAsync(string? stale, CancellationToken cancellationToken) =>
        _tokens.GetAsync(FetchTokenAsync, _options.TokenRefreshMargin, stale, cancellationToken);

    private async Task<(string, TimeSpan)> FetchTokenAsync(CancellationToken cancellationToken)
    {
        const string api = "gettoken";
        ThrowIfBlocked(api, api);
        var uri = Api($"gettoken?corpid={Uri.EscapeDataString(_options.CorpId!)}&corpsecret={Uri.EscapeDataString(_options.Secret!)}");
        using var response = await _http.GetAsync(uri, cancellationToken);
        var result = await ReadResultAsync(response, cancellationToken);
        Check(api, api, result);
        var token = result.Body?["access_token"]?.GetValue<string>();
        if (string.IsNullOrEmpty(token))
        {
            throw new WeComApiException(api, 0, "gettoken returned no access_token.");
        }

        var seconds = result.Body?["expires_in"]?.GetValue<int>() ?? 7200;
        LogTokenFetched(seconds);
        return (token, TimeSpan.FromSeconds(seconds));
    }

    private async Task<ApiResult> PostJsonAsync(Uri uri, JsonObject body, CancellationToken cancellationToken)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(uri, content, cancellationToken);
        return await ReadResultAsync(response, cancellationToken);
    }

    private static async Task<ApiResult> ReadResultAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            // WeCom answers 200 with an errcode; anything else is the network or a proxy: let the outbox retry.
            throw new HttpRequestException($"WeCom answered HTTP {(int)response.StatusCode}.", null, response.StatusCode);
        }

        JsonObject? body;
        try
        {
            body = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
        }
        catch (JsonException)
        {
            throw new HttpRequestException("WeCom answered with a body that is not JSON.");
        }

        var code = body?["errcode"] is JsonValue value && value.TryGetValue<int>(out var errcode) ? errcode : 0;
        return new ApiResult(code, body?["errmsg"]?.ToString() ?? "", body);
    }

    private void Check(string api, string limitKey, ApiResult result)
    {
        switch (result.ErrorCode)
        {
            case 0:
                return;
            case 45009 or 45033:
                // 接口调用超过限制: stop calling for the block period instead of retrying in a tight loop.
                _ledger.Block(limitKey, _options.RateLimitBackoff);
                LogBackingOff(api, result.ErrorCode, _options.RateLimitBackoff);
                throw RetryLater($"{api} refused with errcode {result.ErrorCode} (rate limit)", _options.RateLimitBackoff, limitKey.StartsWith("webhook:", StringComparison.Ordinal) ? "group robot" : api);
            case -1:
                throw RetryLater($"{api} refused with errcode -1 (系统繁忙)", TimeSpan.FromSeconds(5), api);
            default:
                throw new WeComApiException(api, result.ErrorCode, $"WeCom {api} failed with errcode {result.ErrorCode}: {result.ErrorMessage}");
        }
    }

    private void ThrowIfBlocked(string limitKey, string what)
    {
        if (_ledger.BlockedFor(limitKey) is { } left)
        {
            throw RetryLater($"{what} is backing off after a WeCom rate-limit error", left, what);
        }
    }

    private static ChannelRetryLaterException RetryLater(string reason, TimeSpan wait, string scope) =>
        new($"WeCom {reason}; retry after {Math.Ceiling(wait.TotalSeconds)} s.", wait, scope);

    private Uri Api(string relative) => new(new Uri(_options.ApiBaseUrl), relative);

    /// <summary>Cuts UTF-8 text to a byte limit without splitting a character.</summary>
    public static string Truncate(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }

        var length = text.Length;
        while (length > 0 && Encoding.UTF8.GetByteCount(text.AsSpan(0, length)) > maxBytes - 3)
        {
            length -= Math.Max(1, length / 16);
        }

        if (length > 0 && char.IsHighSurrogate(text[length - 1]))
        {
            length--;
        }

        return text[..length] + "…";
    }

    private sealed record ApiResult(int ErrorCode, string ErrorMessage, JsonObject? Body);

    [LoggerMessage(Level = LogLevel.Debug, Message = "WeCom {Api} delivered")]
    private partial void LogSent(string api);

    [LoggerMessage(Level = LogLevel.Information, Message = "WeCom access_token fetched, valid for {Seconds} s")]
    private partial void LogTokenFetched(int seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WeCom rejected the access_token with errcode {ErrorCode}; fetching a new one")]
    private partial void LogTokenRejected(int errorCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WeCom {Api} rate-limited (errcode {ErrorCode}); backing off for {Backoff}")]
    private partial void LogBackingOff(string api, int errorCode, TimeSpan backoff);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WeCom response_url refused with errcode {ErrorCode}; falling back")]
    private partial void LogResponseUrlRefused(int errorCode);
}
