using System.Globalization;
using System.Net;
using CommunityBot.Dialogs.Conversation;
using Microsoft.Bot.Builder.Integration.AspNet.Core;
using Microsoft.Bot.Schema;
using Microsoft.Bot.Schema.Teams;
using Microsoft.Extensions.Options;
using Microsoft.Rest;
using ConversationReference = CommunityBot.Dialogs.Conversation.ConversationReference;

namespace CommunityBot.Channels.BotFramework;

/// <summary>
/// Delivers the outbox's messages to every Bot Framework channel (Teams, Web Chat, Direct Line, the Emulator) through
/// Bot Builder: a proactive turn per message (<c>CloudAdapter.ContinueConversationAsync</c>) whose turn sends the reply
/// with the SDK's ConnectorClient (shared per service URL, <see cref="SharedConnectorFactory"/>), and for a worker or
/// resident the bot has no 1:1 conversation with yet, the SDK's create-conversation call first.
/// </summary>
/// <remarks>
/// Each call is one request; Teams' retry rules (A.4.2) are kept by the outbox, which does the waiting without holding
/// anything else up: a 429 throws <see cref="ChannelRetryLaterException"/> with its Retry-After, 412/502/503/504 an
/// <see cref="HttpRequestException"/> (retried with backoff), and any other refusal a <see cref="ConnectorException"/>,
/// which is a <see cref="ChannelDeliveryRejectedException"/> (never retried). A service URL <see cref="ServiceUrlPolicy"/>
/// does not allow is never contacted.
/// </remarks>
public sealed partial class BotFrameworkChannelClient : IChannelClient
{
    private readonly CloudAdapter _adapter;
    private readonly BotFrameworkOptions _options;
    private readonly ServiceUrlPolicy _serviceUrls;
    private readonly TimeProvider _time;
    private readonly PrivateConversations _privateConversations;
    private readonly ILogger<BotFrameworkChannelClient> _logger;
    private readonly HashSet<string> _channels;
    private readonly string? _appId;

    public BotFrameworkChannelClient(
        CloudAdapter adapter,
        IOptions<BotFrameworkOptions> options,
        ServiceUrlPolicy serviceUrls,
        TimeProvider time,
        PrivateConversations privateConversations,
        ILogger<BotFrameworkChannelClient> logger)
    {
        _adapter = adapter;
        _options = options.Value;
        _serviceUrls = serviceUrls;
        _time = time;
        _privateConversations = privateConversations;
        _logger = logger;
        _channels = new HashSet<string>(_options.EffectiveChannelIds, StringComparer.OrdinalIgnoreCase);
        _appId = _options.AuthenticationEnabled ? _options.MicrosoftAppId : null;
    }

    public bool Handles(string channel) => _channels.Contains(channel);

    /// <summary>
    /// Posts the message as a reply to <see cref="ConversationReference.ReplyToId"/>, or to the conversation when there is none.
    /// A reference with a user but no conversation id (a worker's card) first opens the 1:1 conversation with that user;
    /// the id is remembered for the life of the process (the Connector returns the same 1:1 conversation again anyway).
    /// </summary>
    public async Task SendAsync(ConversationReference to, OutboundMessage message, CancellationToken cancellationToken)
    {
        RequireServiceUrl(to.ServiceUrl);
        if (string.IsNullOrEmpty(to.ConversationId))
        {
            if (string.IsNullOrEmpty(to.UserId))
            {
                throw new ChannelDeliveryRejectedException("The conversation reference has neither a conversation id nor a user to open one with.");
            }

            var key = $"{to.ServiceUrl}|{to.UserId}";
            if (!_privateConversations.TryGetValue(key, out var conversationId))
            {
                conversationId = await CreateConversationAsync(to.Channel, to.ServiceUrl!, to.BotId, to.UserId, to.TenantId, cancellationToken).ConfigureAwait(false);
                _privateConversations.Remember(key, conversationId);
            }

            to = to with { ConversationId = conversationId, ReplyToId = null };
        }

        var reply = ActivityMapper.ToReply(to, message);
        await CallConnectorAsync("a message", () => _adapter.ContinueConversationAsync(
            _appId, ActivityMapper.ToContinuation(to), (turn, token) => turn.SendActivityAsync(reply, token), cancellationToken)).ConfigureAwait(false);
        LogSent(to.Channel, to.ConversationId);
    }

    /// <summary>
    /// Opens a 1:1 conversation between the bot and a user with the SDK's create-conversation call (Teams needs the tenant,
    /// in the parameters and as <see cref="TeamsChannelData"/>) and returns its id, to be used for proactive cards
    /// (protocols A.2.2, "Proactive 1:1").
    /// </summary>
    public async Task<string> CreateConversationAsync(
        string channel, string serviceUrl, string botId, string userId, string? tenantId, CancellationToken cancellationToken)
    {
        RequireServiceUrl(serviceUrl);
        var parameters = new ConversationParameters(
            isGroup: false,
            bot: new ChannelAccount(botId),
            members: [new ChannelAccount(userId)],
            tenantId: string.IsNullOrEmpty(tenantId) ? null : tenantId,
            channelData: string.IsNullOrEmpty(tenantId) ? null : new TeamsChannelData { Tenant = new TenantInfo(tenantId) });

        string? created = null;
        await CallConnectorAsync("a new conversation", () => _adapter.CreateConversationAsync(
            _appId, channel, serviceUrl, audience: null, parameters, (turn, _) =>
            {
                created = turn.Activity.Conversation?.Id;
                return Task.CompletedTask;
            }, cancellationToken)).ConfigureAwait(false);

        return string.IsNullOrEmpty(created)
            ? throw new ConnectorException(HttpStatusCode.OK, null, "The Connector created a conversation but returned no conversation id.")
            : created;
    }

    private void RequireServiceUrl(string? serviceUrl)
    {
        if (!ActivityMapper.IsHttpUrl(serviceUrl))
        {
            throw new ChannelDeliveryRejectedException("The conversation reference has no Bot Framework serviceUrl to send to.");
        }

        // Also for references stored before the inbound check existed, or configured (Clocks:District:ServiceUrl).
        var uri = new Uri(serviceUrl!);
        if (!_serviceUrls.Allows(uri))
        {
            LogServiceUrlRefused(uri.IdnHost);
            throw new ChannelDeliveryRejectedException(
                $"The serviceUrl host '{uri.IdnHost}' is not allowed ({(_options.AuthenticationEnabled ? "BotFramework:ServiceHosts" : "loopback or BotFramework:UnauthenticatedServiceHosts")}); nothing was sent.");
        }
    }

    /// <summary>
    /// One Connector call, no waiting here: the outbox decides when to try again. 429 asks to wait (its Retry-After, for this
    /// conversation alone, not a failed attempt); 412/502/503/504 are worth a retry with backoff (a failed attempt); every
    /// other status, 500 included, is one Teams says never to retry (A.4.2): the message is undeliverable. Errors name
    /// <paramref name="what"/> was posted, not the path, which holds the conversation id (they are logged and shown to staff).
    /// </summary>
    private async Task CallConnectorAsync(string what, Func<Task> call)
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (ErrorResponseException ex) when (ex.Response is not null)
        {
            throw Translate(ex.Response, ex.Body?.Error?.Code, what);
        }
        catch (HttpOperationException ex) when (ex.Response is not null)
        {
            throw Translate(ex.Response, null, what);
        }
        catch (SerializationException ex)
        {
            // The Connector took the request (2xx) but its answer is not the JSON it documents: sent, as far as we can know.
            LogUnreadableAnswer(ex.GetType().Name, what);
        }
    }

    private Exception Translate(HttpResponseMessageWrapper response, string? errorCode, string what)
    {
        var status = response.StatusCode;
        if (status == HttpStatusCode.TooManyRequests)
        {
            var wait = RetryAfter(response);
            LogThrottled(what, wait);
            return new ChannelRetryLaterException($"Bot Connector answered 429 to {what}.", wait, "conversation");
        }

        if (status is HttpStatusCode.PreconditionFailed or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout)
        {
            return new HttpRequestException($"Bot Connector answered {(int)status} {status} to {what}.", null, status);
        }

        return new ConnectorException(status, errorCode,
            $"Bot Connector answered {(int)status} {status}{(errorCode is null ? "" : $" ({errorCode})")} (not retryable) to {what}.");
    }

    /// <summary>The wait Retry-After asks for (seconds or a date), capped at <see cref="BotFrameworkOptions.MaxRetryDelay"/>; null without one.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessageWrapper response)
    {
        var value = response.Headers?.FirstOrDefault(h => string.Equals(h.Key, "Retry-After", StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault()?.Trim();
        TimeSpan? asked = value switch
        {
            null or "" => null,
            _ when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) => TimeSpan.FromSeconds(seconds),
            _ when DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) => date - _time.GetUtcNow(),
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not sending to the Bot Framework service host {Host}: it is not allowed")]
    private partial void LogServiceUrlRefused(string host);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sent to {Channel} conversation {ConversationId}")]
    private partial void LogSent(string channel, string conversationId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Bot Connector throttled {What}; Retry-After {Wait}")]
    private partial void LogThrottled(string what, TimeSpan? wait);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bot Connector accepted {What} with an answer that could not be read ({Error}); counted as sent")]
    private partial void LogUnreadableAnswer(string error, string what);
}

/// <summary>The 1:1 conversations the bot has opened with users (workers), by service URL and user id. One per process.</summary>
public sealed class PrivateConversations
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _ids = new(StringComparer.Ordinal);

    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? conversationId) => _ids.TryGetValue(key, out conversationId);

    public void Remember(string key, string conversationId) => _ids[key] = conversationId;
}
