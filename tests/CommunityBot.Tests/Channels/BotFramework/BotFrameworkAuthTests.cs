using CommunityBot.Channels.BotFramework;
using Microsoft.Bot.Connector.Authentication;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommunityBot.Tests.Channels.BotFramework;

/// <summary>
/// The SDK's token validation as this bot configures it (<see cref="ConfiguredBotFrameworkAuthentication"/>), against
/// locally generated keys served as the OpenID metadata and JWKS it is configured to read: a refusal is an
/// <see cref="ActivityRefusedException"/> 401, never a 500.
/// </summary>
public class BotFrameworkAuthTests
{
    private readonly TestConnectorKeys _keys = new();

    internal static ConfiguredBotFrameworkAuthentication CreateAuth(TestConnectorKeys keys, string? appId = TestConnectorKeys.AppId, string? tenantId = null)
    {
        var options = new BotFrameworkOptions
        {
            MicrosoftAppId = appId,
            MicrosoftAppPassword = appId is null ? null : "secret",
            MicrosoftAppTenantId = tenantId,
            OpenIdMetadataUrl = keys.MetadataUrl,
            EmulatorOpenIdMetadataUrl = keys.EmulatorMetadataUrl,
            ServiceHosts = ["smba.trafficmanager.net", "localhost"],
        };
        var http = new HandlerHttpClientFactory(keys.Handler);
        return new ConfiguredBotFrameworkAuthentication(
            options,
            new PasswordServiceClientCredentialFactory(appId, options.MicrosoftAppPassword, tenantId ?? "", http.CreateClient(""), NullLogger.Instance),
            http,
            new ServiceUrlPolicy(options),
            NullLogger<ConfiguredBotFrameworkAuthentication>.Instance);
    }

    private ConfiguredBotFrameworkAuthentication CreateAuth(string? appId = TestConnectorKeys.AppId) => CreateAuth(_keys, appId);

    private static Activity ActivityOf(string channelId, string serviceUrl) =>
        new(ActivityTypes.Message) { Id = "1", ChannelId = channelId, ServiceUrl = serviceUrl, Conversation = new ConversationAccount(id: "c"), From = new ChannelAccount("u") };

    private Task<AuthenticateRequestResult> AuthenticateAsync(
        string? token, string channelId = "msteams", string serviceUrl = TestConnectorKeys.ServiceUrl, ConfiguredBotFrameworkAuthentication? auth = null) =>
        (auth ?? CreateAuth()).AuthenticateRequestAsync(ActivityOf(channelId, serviceUrl), token is null ? null! : $"Bearer {token}", CancellationToken.None);

    private async Task<string> RefusalAsync(string? token, string channelId = "msteams", string serviceUrl = TestConnectorKeys.ServiceUrl)
    {
        var refused = await Assert.ThrowsAsync<ActivityRefusedException>(() => AuthenticateAsync(token, channelId, serviceUrl));
        Assert.Equal(401, refused.StatusCode);
        return refused.Reason;
    }

    [Fact]
    public async Task ChannelToken_Valid_Accepted()
    {
        var result = await AuthenticateAsync(_keys.ChannelToken());

        Assert.True(result.ClaimsIdentity.IsAuthenticated);
        Assert.Equal(TestConnectorKeys.AppId, result.ClaimsIdentity.FindFirst("aud")?.Value);
        Assert.IsType<SharedConnectorFactory>(result.ConnectorFactory);
    }

    [Fact]
    public async Task ChannelToken_ServiceUrlDiffersOnlyInCase_Accepted()
    {
        var result = await AuthenticateAsync(_keys.ChannelToken(), serviceUrl: TestConnectorKeys.ServiceUrl.ToUpperInvariant());

        Assert.True(result.ClaimsIdentity.IsAuthenticated);
    }

    [Fact]
    public async Task ChannelToken_WrongAudience_Rejected()
    {
        Assert.Contains("some-other-bot", await RefusalAsync(_keys.ChannelToken(audience: "some-other-bot")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChannelToken_WrongIssuer_Rejected()
    {
        await RefusalAsync(_keys.ChannelToken(issuer: "https://evil.example.com"));
    }

    [Fact]
    public async Task ChannelToken_ExpiredBeyondSkew_Rejected()
    {
        Assert.Contains("expired", await RefusalAsync(_keys.ChannelToken(expiresIn: TimeSpan.FromMinutes(-6))), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ChannelToken_ExpiredWithinSkew_Accepted()
    {
        var result = await AuthenticateAsync(_keys.ChannelToken(expiresIn: TimeSpan.FromMinutes(-3)));

        Assert.True(result.ClaimsIdentity.IsAuthenticated);
    }

    [Fact]
    public async Task ChannelToken_NotYetValid_Rejected()
    {
        Assert.Equal("token not yet valid", await RefusalAsync(_keys.ChannelToken(notBeforeIn: TimeSpan.FromMinutes(10))));
    }

    [Fact]
    public async Task ChannelToken_KeyNotEndorsedForChannel_Rejected()
    {
        Assert.Contains("endorsement", await RefusalAsync(_keys.ChannelToken(signingKey: "webchat-key"), channelId: "msteams"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChannelToken_KeyEndorsedForChannel_Accepted()
    {
        var result = await AuthenticateAsync(_keys.ChannelToken(signingKey: "webchat-key"), channelId: "webchat");

        Assert.True(result.ClaimsIdentity.IsAuthenticated);
    }

    [Fact]
    public async Task ChannelToken_ServiceUrlClaimMismatch_Rejected()
    {
        Assert.Contains("serviceurl", await RefusalAsync(_keys.ChannelToken(serviceUrl: "https://attacker.example.com/")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChannelToken_NoServiceUrlClaim_Rejected()
    {
        Assert.Contains("serviceurl", await RefusalAsync(_keys.ChannelToken(serviceUrl: null)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChannelToken_SignedByUnknownKey_Rejected()
    {
        await RefusalAsync(_keys.ChannelToken(signingKey: "unknown-key"));
    }

    [Fact]
    public async Task ChannelToken_TamperedPayload_Rejected()
    {
        var parts = _keys.ChannelToken().Split('.');
        var other = _keys.ChannelToken(audience: "x").Split('.');

        await RefusalAsync($"{parts[0]}.{other[1]}.{parts[2]}");
    }

    [Theory]
    [InlineData("")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer not-a-jwt")]
    [InlineData("Bearer a.b.c")]
    public async Task Request_NoUsableToken_Rejected(string header)
    {
        var refused = await Assert.ThrowsAsync<ActivityRefusedException>(() =>
            CreateAuth().AuthenticateRequestAsync(ActivityOf("msteams", TestConnectorKeys.ServiceUrl), header, CancellationToken.None));

        Assert.Equal(401, refused.StatusCode);
    }

    [Fact]
    public async Task Request_NoAppIdConfigured_AcceptedWithoutToken()
    {
        var result = await CreateAuth(appId: null).AuthenticateRequestAsync(ActivityOf("emulator", "http://localhost:5000"), null!, CancellationToken.None);

        Assert.NotNull(result.ClaimsIdentity);
        Assert.Empty(_keys.Handler.Requests);
    }

    [Fact]
    public async Task Metadata_ReadThroughTheHostsHttpClient_OnceForManyRequests()
    {
        var auth = CreateAuth();
        Assert.True((await AuthenticateAsync(_keys.ChannelToken(), auth: auth)).ClaimsIdentity.IsAuthenticated);
        var fetched = _keys.Handler.Requests.Count;

        for (var i = 0; i < 3; i++)
        {
            Assert.True((await AuthenticateAsync(_keys.ChannelToken(), auth: auth)).ClaimsIdentity.IsAuthenticated);
        }

        // The metadata and the key set, read by the signing-key and the endorsement caches of the SDK, and never again.
        Assert.InRange(fetched, 2, 4);
        Assert.All(_keys.Handler.Requests, r => Assert.StartsWith("https://login.test/", r.Uri.AbsoluteUri, StringComparison.Ordinal));
        Assert.Equal(fetched, _keys.Handler.Requests.Count);
    }

    [Fact]
    public async Task EmulatorToken_Valid_Accepted()
    {
        var result = await AuthenticateAsync(_keys.EmulatorToken(), channelId: "emulator", serviceUrl: "http://localhost:58123");

        Assert.True(result.ClaimsIdentity.IsAuthenticated);
    }

    [Fact]
    public async Task EmulatorToken_OtherAppId_Rejected()
    {
        await RefusalAsync(_keys.EmulatorToken(appId: "another-app"), channelId: "emulator");
    }

    [Fact]
    public async Task SingleTenant_EmulatorTokenOfAnotherTenant_Rejected()
    {
        var keys = new TestConnectorKeys();
        var auth = CreateAuth(keys, tenantId: "11111111-2222-3333-4444-555555555555");

        var refused = await Assert.ThrowsAsync<ActivityRefusedException>(() => auth.AuthenticateRequestAsync(
            ActivityOf("emulator", "http://localhost:58123"), "Bearer " + keys.EmulatorToken(tenant: "99999999-0000-0000-0000-000000000000"), CancellationToken.None));

        Assert.Equal(401, refused.StatusCode);
    }

    [Fact]
    public async Task SingleTenant_EmulatorTokenOfItsOwnTenant_Accepted()
    {
        const string tenant = "11111111-2222-3333-4444-555555555555";
        var keys = new TestConnectorKeys();
        var auth = CreateAuth(keys, tenantId: tenant);

        var result = await auth.AuthenticateRequestAsync(
            ActivityOf("emulator", "http://localhost:58123"), "Bearer " + keys.EmulatorToken(tenant: tenant), CancellationToken.None);

        Assert.True(result.ClaimsIdentity.IsAuthenticated);
    }
}

/// <summary>An <see cref="IHttpClientFactory"/> whose every client goes through one handler.</summary>
internal sealed class HandlerHttpClientFactory(HttpMessageHandler handler) : IHttpClientFactory
{
    public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
}
