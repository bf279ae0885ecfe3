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
/// Retries are written here rather than with a resilience handler because Teams gives exact rules
/// (A.4.2): wait for Retry-After on 429, back off with jitter on 412/502/503/504, never retry anything
/// else; and the waits go through <see cref="TimeProvider"/> so tests can check them without waiting.
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

        using var response = await PostAsync(RequireServiceUrl(to.ServiceUrl), path, activity, cancellationToken).ConfigureAwait(false);
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

        using var response = await PostAsync(RequireServiceUrl(serviceUrl), "v3/conversations", parameters, cancellationToken).ConfigureAwait(false);
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

    private async Task<HttpResponseMessage> PostAsync<T>(Uri serviceUrl, string path, T body, CancellationToken cancellationToken)
    {
        var url = new Uri(serviceUrl, path);
        for (var attempt = 1; ; attempt++)
        {
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
                if (!IsRetryable(status) || attempt >= _options.MaxSendAttempts)
                {
                    var errorCode = await ReadErrorCodeAsync(response, cancellationToken).ConfigureAwait(false);
                    var reason = IsRetryable(status) ? $"after {attempt} attempts" : "(not retryable)";
                    throw new ConnectorException(status, errorCode,
                        $"Bot Connector answered {(int)status} {status}{(errorCode is null ? "" : $" ({errorCode})")} {reason} to POST {url.AbsolutePath}.");
                }

                var delay = RetryDelay(response, attempt);
                LogRetrying((int)status, url.AbsolutePath, delay, attempt, _options.MaxSendAttempts);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static bool IsRetryable(HttpStatusCode status) => status is HttpStatusCode.TooManyRequests
        or HttpStatusCode.PreconditionFailed
        or HttpStatusCode.BadGateway
        or HttpStatusCode.ServiceUnavailable
        or HttpStatusCode.GatewayTimeout;

    /// <summary>Retry-After when the Connector sent one (seconds or a date), else exponential backoff with jitter; capped either way.</summary>
    private TimeSpan RetryDelay(HttpResponseMessage response, int attempt)
    {
        TimeSpan? asked = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - _time.GetUtcNow(),
            _ => null,
        };

        TimeSpan delay;
        if (asked is { } retryAfter)
        {
            delay = retryAfter < TimeSpan.Zero ? TimeSpan.Zero : retryAfter;
        }
        else
        {
            var backoff = _options.RetryBaseDelay * Math.Pow(2, attempt - 1);
            delay = backoff + backoff * (Random.Shared.NextDouble() * 0.25);
        }

        return delay > _options.MaxRetryDelay ? _options.MaxRetryDelay : delay;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bot Connector answered {StatusCode} to POST {Path}; retrying in {Delay} (attempt {Attempt} of {MaxAttempts})")]
    private partial void LogRetrying(int statusCode, string path, TimeSpan delay, int attempt, int maxAttempts);
}
