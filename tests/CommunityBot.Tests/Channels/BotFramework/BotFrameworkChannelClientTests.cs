using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CommunityBot.Channels;
using CommunityBot.Channels.BotFramework;
using CommunityBot.Dialogs.Conversation;
using Microsoft.Bot.Builder.Integration.AspNet.Core;
using Microsoft.Bot.Connector.Authentication;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Rest;

namespace CommunityBot.Tests.Channels.BotFramework;

/// <summary>
/// Deliveries through Bot Builder (CloudAdapter.ContinueConversationAsync / CreateConversationAsync and the SDK's
/// ConnectorClient) at a fake Connector: the URLs and bodies the Connector sees, and each answer translated for the outbox.
/// </summary>
public class BotFrameworkChannelClientTests
{
    private static readonly DateTimeOffset s_now = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly ConversationReference s_group = new()
    {
        Channel = "msteams",
        ConversationId = "19:abc@thread.skype;messageid=1",
        IsGroup = true,
        UserId = "29:1resident-wang",
        BotId = "28:bot",
        BotName = "小灵通",
        ServiceUrl = "https://smba.trafficmanager.net/apac/",
        ReplyToId = "1712345678901",
    };

    private readonly RecordingTimeProvider _time = new(s_now);

    // With an app id, as in production: the Teams service host is on the default allow-list.
    private static BotFrameworkOptions Authenticated() => new() { MicrosoftAppId = "11111111-2222-3333-4444-555555555555", MicrosoftAppPassword = "secret" };

    /// <summary>The channel client over a CloudAdapter wired as the host wires it, with the Connector at <paramref name="handler"/>.</summary>
    private BotFrameworkChannelClient CreateClient(FakeHttpHandler handler, string? token = null, BotFrameworkOptions? options = null)
    {
        var settings = options ?? Authenticated();
        var http = new HandlerHttpClientFactory(handler);
        ServiceClientCredentialsFactory credentials = token is null
            ? new PasswordServiceClientCredentialFactory(null, null, "", http.CreateClient(""), NullLogger.Instance)
            : new FixedTokenCredentialsFactory(token);
        var policy = new ServiceUrlPolicy(settings);
        var adapter = new CloudAdapter(new ConfiguredBotFrameworkAuthentication(settings, credentials, http, policy, NullLogger<ConfiguredBotFrameworkAuthentication>.Instance));
        return new BotFrameworkChannelClient(adapter, Options.Create(settings), policy, _time, new PrivateConversations(), NullLogger<BotFrameworkChannelClient>.Instance);
    }

    private static HttpResponseMessage Ok() => FakeHttpHandler.Status(HttpStatusCode.OK, """{"id":"1"}""");

    [Fact]
    public async Task Send_ReplyInTeamsThread_EscapesConversationAndActivityIds()
    {
        var handler = FakeHttpHandler.Sequence(Ok);

        await CreateClient(handler).SendAsync(s_group, OutboundMessage.Plain("你好"), CancellationToken.None);

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(
            "https://smba.trafficmanager.net/apac/v3/conversations/19%3Aabc%40thread.skype%3Bmessageid%3D1/activities/1712345678901",
            request.Uri.AbsoluteUri);
        var body = JsonDocument.Parse(request.Body!).RootElement;
        Assert.Equal("你好", body.GetProperty("text").GetString());
        Assert.Equal("1712345678901", body.GetProperty("replyToId").GetString());
    }

    [Fact]
    public async Task Send_NoReplyToIdAndNoTrailingSlash_PostsToConversation()
    {
        var handler = FakeHttpHandler.Sequence(Ok);
        var to = s_group with { ConversationId = "a:1", ReplyToId = null, ServiceUrl = "https://smba.trafficmanager.net/amer" };

        await CreateClient(handler).SendAsync(to, OutboundMessage.Plain("x"), CancellationToken.None);

        Assert.Equal("https://smba.trafficmanager.net/amer/v3/conversations/a%3A1/activities", Assert.Single(handler.Requests).Uri.AbsoluteUri);
    }

    [Fact]
    public async Task Send_429WithRetryAfterSeconds_AsksTheOutboxToWaitThatLongWithoutSleeping()
    {
        var handler = FakeHttpHandler.Sequence(
            () =>
            {
                var throttled = FakeHttpHandler.Status(HttpStatusCode.TooManyRequests);
                throttled.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
                return throttled;
            },
            Ok);

        var ex = await Assert.ThrowsAsync<ChannelRetryLaterException>(() =>
            CreateClient(handler).SendAsync(s_group, OutboundMessage.Plain("x"), CancellationToken.None));

        Assert.Single(handler.Requests);
        Assert.Equal(TimeSpan.FromSeconds(7), ex.RetryAfter);
        Assert.Equal("conversation", ex.Scope);
        Assert.Empty(_time.Delays);
    }

    [Fact]
    public async Task Send_429WithRetryAfterDate_AsksToWaitUntilThatTime()
    {
        var handler = FakeHttpHandler.Sequence(() =>
        {
            var throttled = FakeHttpHandler.Status(HttpStatusCode.TooManyRequests);
            throttled.Headers.RetryAfter = new RetryConditionHeaderValue(s_now.AddSeconds(30));
            return throttled;
        });

        var ex = await Assert.ThrowsAsync<ChannelRetryLaterException>(() =>
            CreateClient(handler).SendAsync(s_group, OutboundMessage.Plain("x"), CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(30), ex.RetryAfter);
    }

    [Fact]
    public async Task Send_429WithHugeRetryAfter_WaitIsCapped()
    {
        var handler = FakeHttpHandler.Sequence(() =>
        {
            var throttled = FakeHttpHandler.Status(HttpStatusCode.TooManyRequests);
            throttled.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromHours(1));
            return throttled;
        });

        var ex = await Assert.ThrowsAsync<ChannelRetryLaterException>(() =>
            CreateClient(handler).SendAsync(s_group, OutboundMessage.Plain("x"), CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(60), ex.RetryAfter);
    }

    [Fact]
    public async Task Send_429WithoutRetryAfter_LeavesTheWaitToTheOutbox()
    {
        var handler = FakeHttpHandler.Sequence(() => FakeHttpHandler.Status(HttpStatusCode.TooManyRequests));

        var ex = await Assert.ThrowsAsync<ChannelRetryLaterException>(() =>
            CreateClient(handler).SendAsync(s_group, OutboundMessage.Plain("x"), CancellationToken.None));

        Assert.Null(ex.RetryAfter);
        Assert.Empty(_time.Delays);
    }

    [Theory]
    [InlineData(HttpStatusCode.PreconditionFailed)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task Send_RetryableStatus_FailsThisAttemptOnceForTheOutboxToRetry(HttpStatusCode status)
    {
        var handler = FakeHttpHandler.Sequence(() => FakeHttpHandler.Status(status), Ok);

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() =>
            CreateClient(handler).SendAsync(s_group, OutboundMessage.Plain("x"), CancellationToken.None));

        Assert.IsNotAssignableFrom<ChannelDeliveryRejectedException>(ex);
        Assert.Equal(status, ex.StatusCode);
        Assert.Single(handler.Requests);
        Assert.Empty(_time.Delays);
    }

    [Fact]
    public async Task Send_400_ThrowsWithoutRetryOrMessageText()
    {
        var handler = FakeHttpHandler.Sequence(() => FakeHttpHandler.Status(HttpStatusCode.BadRequest,
            """{"error":{"code":"BadArgument","message":"Activity text too long"}}"""));

        var ex = await Assert.ThrowsAsync<ConnectorException>(() =>
            CreateClient(handler).SendAsync(s_group, OutboundMessage.Plain("我的电话 13800000000"), CancellationToken.None));
        Assert.Contains("13800000000", Assert.Single(handler.Requests).Body, StringComparison.Ordinal); // it was sent, and refused

        Assert.Single(handler.Requests);
        Assert.Empty(_time.Delays);
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal("BadArgument", ex.ErrorCode);
        Assert.Contains("400", ex.Message);
        Assert.DoesNotContain("13800000000", ex.Message);
        Assert.DoesNotContain("abc", ex.Message); // nor the conversation id: errors are logged and shown to staff
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.RequestEntityTooLarge)]
    [InlineData(HttpStatusCode.InternalServerError)]
    public async Task Send_NonRetryableStatus_TriesOnce(HttpStatusCode status)
    {
        var handler = FakeHttpHandler.Sequence(() => FakeHttpHandler.Status(status));

        var ex = await Assert.ThrowsAsync<ConnectorException>(() =>
            CreateClient(handler).SendAsync(s_group, OutboundMessage.Plain("x"), CancellationToken.None));

        Assert.IsAssignableFrom<ChannelDeliveryRejectedException>(ex); // the outbox fails it at once
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Send_WithAppToken_SendsBearerHeader()
    {
        var handler = FakeHttpHandler.Sequence(Ok);

        await CreateClient(handler, token: "token-123").SendAsync(s_group, OutboundMessage.Plain("x"), CancellationToken.None);

        Assert.Equal("Bearer token-123", Assert.Single(handler.Requests).Authorization);
    }

    [Fact]
    public async Task Send_WithoutAppId_SendsNoAuthorizationHeader()
    {
        var handler = FakeHttpHandler.Sequence(Ok);
        var client = CreateClient(handler, options: new BotFrameworkOptions());

        // Without an app id only a loopback service URL is contacted (the Emulator's).
        await client.SendAsync(s_group with { ServiceUrl = "http://localhost:56789/" }, OutboundMessage.Plain("x"), CancellationToken.None);

        Assert.Null(Assert.Single(handler.Requests).Authorization);
    }

    [Fact]
    public async Task Send_NoServiceUrl_Throws()
    {
        var handler = FakeHttpHandler.Sequence(Ok);

        await Assert.ThrowsAsync<ChannelDeliveryRejectedException>(() =>
            CreateClient(handler).SendAsync(s_group with { ServiceUrl = null }, OutboundMessage.Plain("x"), CancellationToken.None));
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [InlineData("https://attacker.example/")]
    [InlineData("https://smba.trafficmanager.net.attacker.example/")]
    [InlineData("http://smba.trafficmanager.net/apac/")] // the bot's token never goes over plain http
    [InlineData("https://user@attacker.example/")]
    public async Task Send_ServiceHostNotAllowed_IsRejectedWithoutAnyCall(string serviceUrl)
    {
        var handler = FakeHttpHandler.Sequence(Ok);

        await Assert.ThrowsAsync<ChannelDeliveryRejectedException>(() =>
            CreateClient(handler, token: "token-123").SendAsync(s_group with { ServiceUrl = serviceUrl }, OutboundMessage.Plain("x"), CancellationToken.None));
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task Send_WithoutAppIdToAPublicHost_IsRejectedWithoutAnyCall()
    {
        var handler = FakeHttpHandler.Sequence(Ok);

        await Assert.ThrowsAsync<ChannelDeliveryRejectedException>(() =>
            CreateClient(handler, options: new BotFrameworkOptions()).SendAsync(s_group, OutboundMessage.Plain("x"), CancellationToken.None));
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task Send_RegionalDirectLineHost_IsAllowedByTheWildcard()
    {
        var handler = FakeHttpHandler.Sequence(Ok);

        await CreateClient(handler).SendAsync(
            s_group with { Channel = "directline", ServiceUrl = "https://europe.directline.botframework.com/" }, OutboundMessage.Plain("x"), CancellationToken.None);

        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task CreateConversation_TeamsUser_PostsMembersAndTenantAndReturnsId()
    {
        var handler = FakeHttpHandler.Sequence(() => FakeHttpHandler.Status(HttpStatusCode.Created, """{"id":"a:1qhNLqpUtmuI6U35"}"""));

        var id = await CreateClient(handler, token: "t").CreateConversationAsync(
            "msteams", "https://smba.trafficmanager.net/apac", "28:bot", "29:1worker-zhao", "tenant-1", CancellationToken.None);

        Assert.Equal("a:1qhNLqpUtmuI6U35", id);
        var request = Assert.Single(handler.Requests);
        Assert.Equal("https://smba.trafficmanager.net/apac/v3/conversations", request.Uri.AbsoluteUri);
        var body = JsonDocument.Parse(request.Body!).RootElement;
        Assert.Equal("28:bot", body.GetProperty("bot").GetProperty("id").GetString());
        Assert.Equal("29:1worker-zhao", body.GetProperty("members")[0].GetProperty("id").GetString());
        Assert.Equal("tenant-1", body.GetProperty("channelData").GetProperty("tenant").GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("msteams", true)]
    [InlineData("emulator", true)]
    [InlineData("webchat", true)]
    [InlineData("directline", true)]
    [InlineData("wecom", false)]
    [InlineData("local", false)]
    public void Handles_ChannelIds_OnlyBotFrameworkChannels(string channel, bool expected)
    {
        Assert.Equal(expected, CreateClient(FakeHttpHandler.Sequence(Ok)).Handles(channel));
    }

    [Fact]
    public void Handles_ConfiguredChannelIds_ReplaceDefaults()
    {
        var client = CreateClient(FakeHttpHandler.Sequence(Ok), options: new BotFrameworkOptions { ChannelIds = ["slack"] });

        Assert.True(client.Handles("slack"));
        Assert.False(client.Handles("msteams"));
    }

    [Fact]
    public async Task Send_NoConversationYet_OpensTheOneToOneThenSendsIntoIt_AndRemembersIt()
    {
        var handler = new FakeHttpHandler((request, index) => index == 0
            ? FakeHttpHandler.Status(HttpStatusCode.Created, """{"id":"a:1worker-zhao-chat"}""")
            : Ok());
        var client = CreateClient(handler, token: "t");
        var worker = s_group with { ConversationId = "", IsGroup = false, ReplyToId = null, UserId = "29:1worker-zhao", TenantId = "tenant-1" };

        await client.SendAsync(worker, OutboundMessage.Plain("新工单"), CancellationToken.None);
        await client.SendAsync(worker, OutboundMessage.Plain("又一张"), CancellationToken.None);

        Assert.Equal(
            [
                "https://smba.trafficmanager.net/apac/v3/conversations",
                "https://smba.trafficmanager.net/apac/v3/conversations/a%3A1worker-zhao-chat/activities",
                "https://smba.trafficmanager.net/apac/v3/conversations/a%3A1worker-zhao-chat/activities",
            ],
            handler.Requests.Select(r => r.Uri.AbsoluteUri));
        var card = JsonDocument.Parse(handler.Requests[1].Body!).RootElement;
        Assert.Equal("29:1worker-zhao", card.GetProperty("recipient").GetProperty("id").GetString());
        Assert.Equal("新工单", card.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Send_ManyMessages_ShareOneConnectorClientPerServiceUrl()
    {
        var handler = new FakeHttpHandler((_, _) => Ok());
        var settings = Authenticated();
        var http = new HandlerHttpClientFactory(handler);
        var auth = new ConfiguredBotFrameworkAuthentication(settings, new FixedTokenCredentialsFactory("t"), http, new ServiceUrlPolicy(settings),
            NullLogger<ConfiguredBotFrameworkAuthentication>.Instance);
        var client = new BotFrameworkChannelClient(new CloudAdapter(auth), Options.Create(settings), new ServiceUrlPolicy(settings), _time,
            new PrivateConversations(), NullLogger<BotFrameworkChannelClient>.Instance);

        for (var i = 0; i < 20; i++)
        {
            await client.SendAsync(s_group with { ConversationId = $"19:g{i % 4}@thread.skype" }, OutboundMessage.Plain("x"), CancellationToken.None);
        }

        await client.SendAsync(s_group with { ServiceUrl = "https://smba.trafficmanager.net/amer/" }, OutboundMessage.Plain("x"), CancellationToken.None);

        Assert.Equal(21, handler.Requests.Count);
        Assert.Equal(2, auth.Connectors.Count); // apac and amer, not one per turn
        Assert.False(auth.UserTokens.Created); // nor a token service client
    }

    /// <summary>Stands for the bot's MSAL credentials: a fixed bearer token.</summary>
    private sealed class FixedTokenCredentialsFactory(string token) : ServiceClientCredentialsFactory
    {
        public override Task<bool> IsValidAppIdAsync(string appId, CancellationToken cancellationToken) => Task.FromResult(true);

        public override Task<bool> IsAuthenticationDisabledAsync(CancellationToken cancellationToken) => Task.FromResult(false);

        public override Task<ServiceClientCredentials> CreateCredentialsAsync(
            string appId, string audience, string loginEndpoint, bool validateAuthority, CancellationToken cancellationToken) =>
            Task.FromResult<ServiceClientCredentials>(new TokenCredentials(token));
    }
}
