using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CommunityBot.Dialogs.Conversation;
using Microsoft.Extensions.Options;

namespace CommunityBot.Channels.BotFramework;

/// <summary>The 1:1 conversations the bot has opened with users (workers), by service URL and user id. One per process.</summary>
public sealed class PrivateConversations
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _ids = new(StringComparer.Ordinal);

    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? conversationId) => _ids.TryGetValue(key, out conversationId);

    public void Remember(string key, string conversationId) => _ids[key] = conversationId;
}

/// <summary>
/// Delivers outbound messages through the Bot Connector REST API (protocols A.2.2) to every Bot Framework
/// channel: Teams, Web Chat, Direct Line, the Emulator.
/// </summary>
/// <remarks>
/// Each call is one request; Teams' retry rules (A.4.2) are kept by the outbox, which does the waiting without holding
/// anything else up: a 429 throws <see cref="ChannelRetryLaterException"/> with its Retry-After, 412/502/503/504 an
/// <see cref="HttpRequestException"/> (retried with backoff), and any other refusal a <see cref="ConnectorException"/>,
/// which is an <see cref="ChannelDeliveryRejectedException"/> (never retried).
/// </remarks>
public sealed partial class ConnectorClient : IChannelClient
{
    private readonly HttpClient _http;
    private readonly IConnectorTokenProvider _tokens;
    private readonly BotFrameworkOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ConnectorClient> _logger;
    private readonly HashSet<string> _channels;
    private readonly PrivateConversations _privateConversations;
    private readonly ServiceUrlPolicy _serviceUrls;

    public ConnectorClient(
        HttpClient http,
        IConnectorTokenProvider tokens,
        IOptions<BotFrameworkOptions> options,
        TimeProvider time,
        PrivateConversations privateConversations,
        ILogger<ConnectorClient> logger)
    {
        _privateConversations = privateConversations;
        _http = http;
        _tokens = tokens;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _channels = new HashSet<string>(_options.EffectiveChannelIds, StringComparer.OrdinalIgnoreCase);
        _serviceUrls = new ServiceUrlPolicy(_options);
    }

    public bool Handles(string channel) => _channels.Contains(channel);

    /// <summary>
    /// Posts the message as a reply to <see cref="ConversationReference.ReplyToId"/>, or to the conversation when there is none.
    /// A reference with a user but no conversation id (a worker's card) first opens the 1:1 conversation with that user;
    /// the id is remembered for the life of the process (the Connector returns the same 1:1 conversation again anyway).
    /// A service URL the <see cref="ServiceUrlPolicy"/> does not allow is never contacted: <see cref="ChannelDeliveryRejectedException"/>.
    /// </summary>
    public async Task SendAsync(ConversationReference to, OutboundMessage message, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(to.ConversationId))
        {
            if (string.IsNullOrEmpty(to.UserId))
            {
                throw new ChannelDeliveryRejectedException("The conversation reference has neither a conversation id nor a user to open one with.");
            }

            var key = $"{to.ServiceUrl}|{to.UserId}";
            if (!_privateConversations.TryGetValue(key, out var conversationId))
            {
                conversationId = await CreateConversationAsync(to.ServiceUrl ?? "", to.BotId, to.UserId, to.TenantId, cancellationToken).ConfigureAwait(false);
                _privateConversations.Remember(key, conversationId);
            }

            to = to with { ConversationId = conversationId, ReplyToId = null };
        }

        var conversationPath = $"v3/conversations/{Uri.EscapeDataString(to.ConversationId)}/activities";
        var path = string.IsNullOrEmpty(to.ReplyToId)
            ? conversationPath
            : $"{conversationPath}/{Uri.EscapeDataString(to.ReplyToId)}";
        var activity = ActivityMapper.ToReply(to, message);

        using var response = await PostAsync(RequireServiceUrl(to.ServiceUrl), path, "a message", activity, cancellationToken).ConfigureAwait(false);
        LogSent(to.Channel, to.ConversationId, (int)response.StatusCode);
    }

    /// <summary>
    /// Opens a 1:1 conversation between the bot and a user (Teams needs the tenant) and returns its id,
    /// to be stored and used for proactive cards (protocols A.2.2, "Proactive 1:1").
    /// </summary>
    public async Task<string> CreateConversationAsync(
        string serviceUrl, string botId, string userId, string? tenantId, CancellationToken cancellationToken)
    {
        var parameters = new ConversationParametersPayload
        {
            IsGroup = false,
            Bot = new ChannelAccountPayload { Id = botId },
            Members = [new ChannelAccountPayload { Id = userId }],
            TenantId = string.IsNullOrEmpty(tenantId) ? null : tenantId,
            ChannelData = string.IsNullOrEmpty(tenantId)
                ? null
                : JsonSerializer.SerializeToElement(new { tenant = new { id = tenantId } }),
        };

        using var response = await PostAsync(RequireServiceUrl(serviceUrl), "v3/conversations", "a new conversation", parameters, cancellationToken).ConfigureAwait(false);
        var created = await response.Content.ReadFromJsonAsync<ResourceResponsePayload>(ActivityPayload.JsonOptions, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(created?.Id))
        {
            throw new ConnectorException(response.StatusCode, null, "The Connector created a conversation but returned no conversation id.");
        }

        return created.Id;
    }

    private Uri RequireServiceUrl(string? serviceUrl)
    {
        if (string.IsNullOrWhiteSpace(serviceUrl) || !Uri.TryCreate(serviceUrl, UriKind.Absolute, out var uri))
        {
            throw new ChannelDeliveryRejectedException("The conversation reference has no Bot Framework serviceUrl to send to.");
        }

        // Also for references stored before the inbound check existed, or configured (Clocks:District:ServiceUrl).
        if (!_serviceUrls.Allows(uri))
        {
            LogServiceUrlRefused(uri.IdnHost);
            throw new ChannelDeliveryRejectedException(
                $"The serviceUrl host '{uri.IdnHost}' is not allowed ({(_options.AuthenticationEnabled ? "BotFramework:ServiceHosts" : "loopback or BotFramework:UnauthenticatedServiceHosts")}); nothing was sent.");
        }

        // Paths are relative to the service URL, which Teams gives both with and without a trailing slash.
        return new Uri(serviceUrl.EndsWith('/') ? serviceUrl : serviceUrl + "/");
    }

    /// <summary>
    /// One POST, no waiting here: the outbox decides when to try again. 429 asks to wait (its Retry-After, for this
    /// conversation alone, not a failed attempt); 412/502/503/504 are worth a retry with backoff (a failed attempt); every
    /// other status, 500 included, is one Teams says never to retry (A.4.2): the message is undeliverable. Errors name
    /// <paramref name="what"/> was posted, not the path, which holds the conversation id (they are logged and shown to staff).
    /// </summary>
    private async Task<HttpResponseMessage> PostAsync<T>(Uri serviceUrl, string path, string what, T body, CancellationToken cancellationToken)
    {
        var url = new Uri(serviceUrl, path);
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = JsonContent.Create(body, options: ActivityPayload.JsonOptions),
        };
        var token = await _tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var status = response.StatusCode;
            if (status == HttpStatusCode.TooManyRequests)
            {
                var wait = RetryAfter(response);
                LogThrottled(url.AbsolutePath, wait);
                throw new ChannelRetryLaterException($"Bot Connector answered 429 to {what}.", wait, "conversation");
            }

            if (status is HttpStatusCode.PreconditionFailed or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout)
            {
                throw new HttpRequestException($"Bot Connector answered {(int)status} {status} to {what}.", null, status);
            }

            var errorCode = await ReadErrorCodeAsync(response, cancellationToken).ConfigureAwait(false);
            throw new ConnectorException(status, errorCode,
                $"Bot Connector answered {(int)status} {status}{(errorCode is null ? "" : $" ({errorCode})")} (not retryable) to {what}.");
        }
    }

    /// <summary>The wait Retry-After asks for (seconds or a date), capped at <see cref="BotFrameworkOptions.MaxRetryDelay"/>; null without one.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        TimeSpan? asked = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - _time.GetUtcNow(),
            _ => null,
        };

        return asked switch
        {
            null => null,
            { } wait when wait < TimeSpan.Zero => TimeSpan.Zero,
            { } wait when wait > _options.MaxRetryDelay => _options.MaxRetryDelay,
            { } wait => wait,
        };
    }

    private static async Task<string?> ReadErrorCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // ErrorResponse: {"error": {"code": "...", "message": "..."}}; only the code is kept.
        try
        {
            using var document = await JsonDocument.ParseAsync(
                await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String
                ? code.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not sending to the Bot Framework service host {Host}: it is not allowed")]
    private partial void LogServiceUrlRefused(string host);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sent to {Channel} conversation {ConversationId}: {StatusCode}")]
    private partial void LogSent(string channel, string conversationId, int statusCode);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Bot Connector throttled POST {Path}; Retry-After {Wait}")]
    private partial void LogThrottled(string path, TimeSpan? wait);
}
