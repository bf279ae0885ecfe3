using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CommunityBot.Channels;
using CommunityBot.Channels.BotFramework;
using CommunityBot.Conversation;
using CommunityBot.Dialogs.Conversation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using CommunityBot.Tests.Harness;
using Microsoft.Bot.Connector.Authentication;

namespace CommunityBot.Tests.Channels.BotFramework;

public sealed class BotFrameworkEndpointsTests : IAsyncDisposable
{
    private readonly TestConnectorKeys _keys = new();
    private readonly RecordingTurnProcessor _turns = new();
    private readonly CollectingLoggerProvider _logs = new();
    private WebApplication? _app;

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    /// <summary>A bare host with only this channel and a fake pipeline (Program's wiring is tested after merge).</summary>
    private async Task<HttpClient> StartAsync(string? appId = TestConnectorKeys.AppId, Dictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.AddProvider(_logs);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["BotFramework:MicrosoftAppId"] = appId,
            ["BotFramework:MicrosoftAppPassword"] = appId is null ? null : "secret",
            ["BotFramework:OpenIdMetadataUrl"] = _keys.MetadataUrl,
            ["BotFramework:EmulatorOpenIdMetadataUrl"] = _keys.EmulatorMetadataUrl,
            ["BotFramework:MaxBodyBytes"] = "8192",
            // The payloads name Teams' service host; without an app id it must be allowed explicitly.
            ["BotFramework:UnauthenticatedServiceHosts:0"] = "smba.trafficmanager.net",
        });
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.AddBotFrameworkChannel();
        builder.Services.AddHttpClient(BotFrameworkEndpoints.AuthHttpClientName).ConfigurePrimaryHttpMessageHandler(() => _keys.Handler);
        builder.Services.AddSingleton(TurnMiddleware.None);
        builder.Services.AddSingleton<Microsoft.Bot.Builder.IBot>(_turns);

        _app = builder.Build();
        _app.MapBotFrameworkEndpoints();
        await _app.StartAsync();
        return _app.GetTestClient();
    }

    private static string Payload(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", file));

    private static HttpRequestMessage Post(string body, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    [Fact]
    public async Task Messages_ValidTokenGroupMention_ProcessedWithMentionStripped()
    {
        var client = await StartAsync();

        var response = await client.SendAsync(Post(Payload("teams-group-mention.json"), _keys.ChannelToken()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        var message = Assert.Single(_turns.Messages);
        Assert.Equal("物业电话多少", message.Text);
        Assert.True(message.AddressedToBot);
    }

    [Fact]
    public async Task Messages_NoToken_Returns401AndPipelineNotCalled()
    {
        var client = await StartAsync();

        var response = await client.SendAsync(Post(Payload("teams-group-mention.json")));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_turns.Messages);
    }

    [Fact]
    public async Task Messages_ForgedToken_Returns401AndPipelineNotCalled()
    {
        var client = await StartAsync();

        var response = await client.SendAsync(Post(Payload("teams-group-mention.json"), _keys.ChannelToken(signingKey: "unknown-key")));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_turns.Messages);
    }

    /// <summary>The tokens the hand-written validation was tested with, now refused by the SDK's: 401, and nothing processed.</summary>
    public static TheoryData<string> RefusedTokens => new() { "wrong audience", "wrong issuer", "expired", "not endorsed", "serviceurl mismatch", "no serviceurl", "unknown key" };

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task Messages_RefusedToken_Returns401AndPipelineNotCalled(string kind)
    {
        var client = await StartAsync();
        var token = kind switch
        {
            "wrong audience" => _keys.ChannelToken(audience: "another-bot"),
            "wrong issuer" => _keys.ChannelToken(issuer: "https://evil.example.com"),
            "expired" => _keys.ChannelToken(expiresIn: TimeSpan.FromMinutes(-6)),
            "not endorsed" => _keys.ChannelToken(signingKey: "webchat-key"),
            "serviceurl mismatch" => _keys.ChannelToken(serviceUrl: "https://smba.trafficmanager.net/amer/"),
            "no serviceurl" => _keys.ChannelToken(serviceUrl: null),
            _ => _keys.ChannelToken(signingKey: "unknown-key"),
        };

        var response = await client.SendAsync(Post(Payload("teams-group-mention.json"), token));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_turns.Messages);
        Assert.Contains(_logs.Logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("rejected with 401", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Logger.Entries, e => e.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task Messages_TokenForOtherServiceUrl_Returns401()
    {
        var client = await StartAsync();

        var response = await client.SendAsync(Post(Payload("teams-group-mention.json"), _keys.ChannelToken(serviceUrl: "https://elsewhere.example.com/")));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_turns.Messages);
    }

    [Fact]
    public async Task Startup_PublicBindingWithoutAppId_WarnsWhichSettingToSetAndRefuses()
    {
        var client = await StartAsync(appId: null, new() { ["Urls"] = "http://+:3978" });

        var response = await client.SendAsync(Post(Payload("teams-personal.json")));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_turns.Messages);
        var warning = Assert.Single(_logs.Logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("refuses every activity", StringComparison.Ordinal));
        Assert.Contains("BotFramework:MicrosoftAppId", warning.Message, StringComparison.Ordinal);
        Assert.Contains("BotFramework:AllowUnauthenticated", warning.Message, StringComparison.Ordinal);
        Assert.Contains("http://+:3978", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_AllowUnauthenticated_WarnsAndAccepts()
    {
        var client = await StartAsync(appId: null, new() { ["Urls"] = "http://192.168.1.10:3978", ["BotFramework:AllowUnauthenticated"] = "true" });

        var response = await client.SendAsync(Post(Payload("teams-personal.json")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(_turns.Messages);
        Assert.Contains(_logs.Logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("AllowUnauthenticated is on", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Messages_NoAppIdAndNoToken_Processed()
    {
        var client = await StartAsync(appId: null);

        var response = await client.SendAsync(Post(Payload("teams-personal.json")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(_turns.Messages);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("[1, 2, 3]")]
    [InlineData("null")]
    [InlineData("""{"type": 5}""")]
    [InlineData("""{"id": "1", "text": "no type"}""")]
    [InlineData("""{"Type": "message"}""")]
    // JSON the SDK's reader cannot make an Activity of: it answers 400 without a body, the endpoint adds the problem.
    [InlineData("""{"type": "message", "id": "1", "channelId": "msteams", "from": 5, "conversation": {"id": "c"}}""")]
    [InlineData("""{"type": "message", "id": "1", "channelId": "msteams", "timestamp": "yesterday"}""")]
    [InlineData("""{"type": "message", "id": "1", "channelId": "msteams", "conversation": {"isGroup": "perhaps"}}""")]
    [InlineData("""{"type": "message", "id": "1", "channelId": "msteams", "entities": "none"}""")]
    // Strings System.Text.Json refuses to write, wherever they are.
    [InlineData("""{"type": "message", "id": "1", "channelData": {"\ud800": 1}}""")]
    [InlineData("""{"type": "mess\udfffage"}""")]
    public async Task Messages_MalformedActivity_Returns400Problem(string body)
    {
        var client = await StartAsync(appId: null);

        var response = await client.SendAsync(Post(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(_turns.Messages);
    }

    [Fact]
    public async Task Messages_MessageWithoutId_Returns400()
    {
        var client = await StartAsync(appId: null);
        var activity = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Payload("teams-personal.json"))!;
        activity.Remove("id");

        var response = await client.SendAsync(Post(JsonSerializer.Serialize(activity)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_turns.Messages);
    }

    [Fact]
    public async Task Messages_OversizedBody_Returns400()
    {
        var client = await StartAsync(appId: null);
        var body = Payload("teams-personal.json").Replace("Hello Teams TestBot", new string('长', 5000));

        var response = await client.SendAsync(Post(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(_turns.Messages);
    }

    [Fact]
    public async Task Messages_NotJson_Returns415WithNothingProcessed()
    {
        var client = await StartAsync(appId: null);
        // What a web page can make a browser send cross-site without asking: a text/plain or form POST.
        foreach (var type in new[] { "text/plain", "application/x-www-form-urlencoded" })
        {
            var response = await client.PostAsync("/api/messages", new StringContent(Payload("teams-personal.json"), Encoding.UTF8, type));

            Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        }

        Assert.Empty(_turns.Messages);
    }

    [Fact]
    public async Task Messages_OversizedBodyWithoutContentLength_Returns400()
    {
        var client = await StartAsync(appId: null);
        var bytes = Encoding.UTF8.GetBytes(Payload("teams-personal.json").Replace("Hello Teams TestBot", new string('长', 5000)));
        var content = new StreamContent(new UnknownLengthStream(bytes));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = content };

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_turns.Messages);
    }

    [Fact]
    public async Task Messages_LongText_ReachesThePipelineStillOverTheLimit()
    {
        var client = await StartAsync(appId: null);
        var body = Payload("teams-personal.json").Replace("Hello Teams TestBot", new string('a', 2500));

        var response = await client.SendAsync(Post(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Cut just past the limit before any regex reads it, still long enough that the pipeline asks the resident to
        // shorten it (TurnOptions.MaxTextLength, 2000 by default).
        Assert.Equal(2001, Assert.Single(_turns.Messages).Text.Length);
    }

    [Fact]
    public async Task Messages_TypingActivity_Returns200WithoutProcessing()
    {
        var client = await StartAsync(appId: null);

        var response = await client.SendAsync(Post("""{"type":"typing","channelId":"msteams","serviceUrl":"https://smba.trafficmanager.net/apac/"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(_turns.Messages);
    }

    [Fact]
    public async Task Messages_UnknownInvoke_Returns501()
    {
        var client = await StartAsync(appId: null);

        var response = await client.SendAsync(Post("""{"type":"invoke","name":"task/fetch","id":"9","channelId":"msteams","serviceUrl":"https://smba.trafficmanager.net/apac/"}"""));

        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
        Assert.Empty(_turns.Messages);
    }

    [Fact]
    public async Task Messages_BotAdded_ProcessedAsBotAdded()
    {
        var client = await StartAsync(appId: null);

        await client.SendAsync(Post(Payload("teams-bot-added.json")));

        Assert.Equal(InboundKind.BotAdded, Assert.Single(_turns.Messages).Kind);
    }

    [Theory]
    [InlineData(null, "https://login.microsoftonline.com/botframework.com")] // multi-tenant
    [InlineData("72f988bf-86f1-41af-91ab-2d7cd011db47", "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47")] // single-tenant
    public async Task Credentials_ForReplies_SignInWhereTheRegistrationLives(string? tenant, string authority)
    {
        await StartAsync(settings: new() { ["BotFramework:MicrosoftAppTenantId"] = tenant });
        var factory = _app!.Services.GetRequiredService<ServiceClientCredentialsFactory>();

        var credentials = await factory.CreateCredentialsAsync(
            TestConnectorKeys.AppId, AuthenticationConstants.ToChannelFromBotOAuthScope, AuthenticationConstants.ToChannelFromBotLoginUrlTemplate, true, CancellationToken.None);

        var app = Assert.IsAssignableFrom<MicrosoftAppCredentials>(credentials);
        Assert.Equal(TestConnectorKeys.AppId, app.MicrosoftAppId);
        Assert.Equal(authority, app.OAuthEndpoint);
        Assert.Equal("https://api.botframework.com", app.OAuthScope);
    }

    [Fact]
    public async Task Credentials_WithoutAppId_AreNone()
    {
        await StartAsync(appId: null);
        var factory = _app!.Services.GetRequiredService<ServiceClientCredentialsFactory>();

        Assert.True(await factory.IsAuthenticationDisabledAsync(CancellationToken.None));
        Assert.Same(MicrosoftAppCredentials.Empty, await factory.CreateCredentialsAsync(null!, null!, AuthenticationConstants.ToChannelFromBotLoginUrlTemplate, true, CancellationToken.None));
    }

    [Fact]
    public async Task Messages_ProcessedTurn_MakesNoUserTokenClientAndOneSharedConnector()
    {
        var client = await StartAsync();
        var auth = _app!.Services.GetRequiredService<ConfiguredBotFrameworkAuthentication>();

        for (var i = 0; i < 3; i++)
        {
            var response = await client.SendAsync(Post(Payload("teams-group-mention.json").Replace("1712345678901", $"17123456789{i}"), _keys.ChannelToken()));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(3, _turns.Messages.Count);
        Assert.Equal(1, auth.Connectors.Count);
        Assert.False(auth.UserTokens.Created);
    }

    [Fact]
    public async Task AddBotFrameworkChannel_ResolvesConnectorAsChannelClient()
    {
        await StartAsync(appId: null);

        var channels = _app!.Services.GetServices<IChannelClient>().ToList();

        Assert.Contains(channels, c => c is BotFrameworkChannelClient && c.Handles("msteams"));
    }

    /// <summary>The product bot's place: records the resident message the admission read from each activity.</summary>
    private sealed class RecordingTurnProcessor : Microsoft.Bot.Builder.IBot
    {
        public List<InboundMessage> Messages { get; } = [];

        public Task OnTurnAsync(Microsoft.Bot.Builder.ITurnContext turnContext, CancellationToken cancellationToken)
        {
            if (ResidentTurn.Of(turnContext) is { } turn)
            {
                lock (Messages)
                {
                    Messages.Add(turn.Message);
                }
            }

            return Task.CompletedTask;
        }
    }

    /// <summary>A body whose length is not known up front (chunked upload), so only reading can find it too large.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
    }
}
