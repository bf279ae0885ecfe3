using CommunityBot.Channels.BotFramework;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CommunityBot.Tests.Channels.BotFramework;

public class BotFrameworkAuthTests
{
    private readonly TestConnectorKeys _keys = new();

    private BotFrameworkAuth CreateAuth(string? appId = TestConnectorKeys.AppId) =>
        new(Options.Create(new BotFrameworkOptions
        {
            MicrosoftAppId = appId,
            MicrosoftAppPassword = appId is null ? null : "secret",
            OpenIdMetadataUrl = TestConnectorKeys.MetadataUrl,
            EmulatorOpenIdMetadataUrl = TestConnectorKeys.EmulatorMetadataUrl,
        }), new HttpClient(_keys.Handler), NullLogger<BotFrameworkAuth>.Instance);

    private Task<BotFrameworkAuthResult> AuthenticateAsync(
        string? token, string channelId = "msteams", string serviceUrl = TestConnectorKeys.ServiceUrl, BotFrameworkAuth? auth = null) =>
        (auth ?? CreateAuth()).AuthenticateAsync(token is null ? null : $"Bearer {token}", channelId, serviceUrl, CancellationToken.None);

    [Fact]
    public async Task ChannelToken_Valid_Accepted()
    {
        var result = await AuthenticateAsync(_keys.ChannelToken());

        Assert.True(result.Succeeded, result.Failure);
    }

    [Fact]
    public async Task ChannelToken_ServiceUrlDiffersOnlyInCase_Accepted()
    {
        var result = await AuthenticateAsync(_keys.ChannelToken(), serviceUrl: TestConnectorKeys.ServiceUrl.ToUpperInvariant());

        Assert.True(result.Succeeded, result.Failure);
    }

    [Fact]
    public async Task ChannelToken_WrongAudience_Rejected()
    {
        var result = await AuthenticateAsync(_keys.ChannelToken(audience: "some-other-bot"));

        Assert.False(result.Succeeded);
        Assert.Equal("wrong audience", result.Failure);
    }

    [Fact]
    public async Task ChannelToken_WrongIssuer_Rejected()
    {
        var result = await AuthenticateAsync(_keys.ChannelToken(issuer: "https://evil.example.com"));

        Assert.False(result.Succeeded);
        Assert.Equal("untrusted issuer", result.Failure);
    }

    [Fact]
    public async Task ChannelToken_ExpiredBeyondSkew_Rejected()
    {
        var result = await AuthenticateAsync(_keys.ChannelToken(expiresIn: TimeSpan.FromMinutes(-6)));

        Assert.False(result.Succeeded);
        Assert.Equal("token expired", result.Failure);
    }

    [Fact]
    public async Task ChannelToken_ExpiredWithinSkew_Accepted()
    {
        var result = await AuthenticateAsync(_keys.ChannelToken(expiresIn: TimeSpan.FromMinutes(-3)));

        Assert.True(result.Succeeded, result.Failure);
    }

    [Fact]
    public async Task ChannelToken_NotYetValid_Rejected()
    {
        var result = await AuthenticateAsync(_keys.ChannelToken(notBeforeIn: TimeSpan.FromMinutes(10)));

        Assert.False(result.Succeeded);
        Assert.Equal("token not yet valid", result.Failure);
    }

    [Fact]
    public async Task ChannelToken_KeyNotEndorsedForChannel_Rejected()
    {
        var result = await AuthenticateAsync(_keys.ChannelToken(signingKey: "webchat-key"), channelId: "msteams");

        Assert.False(result.Succeeded);
        Assert.Equal("the signing key is not endorsed for this channel", result.Failure);
    }

    [Fact]
    public async Task ChannelToken_KeyEndorsedForChannel_Accepted()
    {
        var result = await AuthenticateAsync(_keys.ChannelToken(signingKey: "webchat-key"), channelId: "webchat");

        Assert.True(result.Succeeded, result.Failure);
    }

    [Fact]
    public async Task ChannelToken_ServiceUrlClaimMismatch_Rejected()
    {
        var result = await AuthenticateAsync(_keys.ChannelToken(serviceUrl: "https://attacker.example.com/"));

        Assert.False(result.Succeeded);
        Assert.Equal("the serviceurl claim does not match the activity's serviceUrl", result.Failure);
    }

    [Fact]
    public async Task ChannelToken_NoServiceUrlClaim_Rejected()
    {
        var result = await AuthenticateAsync(_keys.ChannelToken(serviceUrl: null));

        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task ChannelToken_SignedByUnknownKey_Rejected()
    {
        var result = await AuthenticateAsync(_keys.ChannelToken(signingKey: "unknown-key"));

        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task ChannelToken_TamperedPayload_Rejected()
    {
        var parts = _keys.ChannelToken().Split('.');
        var other = _keys.ChannelToken(audience: "x").Split('.');

        var result = await AuthenticateAsync($"{parts[0]}.{other[1]}.{parts[2]}");

        Assert.False(result.Succeeded);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer not-a-jwt")]
    public async Task Request_NoUsableToken_Rejected(string? header)
    {
        var result = await CreateAuth().AuthenticateAsync(header, "msteams", TestConnectorKeys.ServiceUrl, CancellationToken.None);

        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task Request_NoAppIdConfigured_AcceptedWithoutToken()
    {
        var result = await CreateAuth(appId: null).AuthenticateAsync(null, "emulator", "http://localhost:5000", CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Empty(_keys.Handler.Requests);
    }

    [Fact]
    public async Task Metadata_ManyRequests_FetchedOnce()
    {
        var auth = CreateAuth();

        for (var i = 0; i < 3; i++)
        {
            Assert.True((await AuthenticateAsync(_keys.ChannelToken(), auth: auth)).Succeeded);
        }

        Assert.Equal(2, _keys.Handler.Requests.Count); // metadata + keys
    }

    [Fact]
    public async Task EmulatorToken_Valid_Accepted()
    {
        var result = await AuthenticateAsync(_keys.EmulatorToken(), channelId: "emulator", serviceUrl: "http://localhost:58123");

        Assert.True(result.Succeeded, result.Failure);
    }

    [Fact]
    public async Task EmulatorToken_OtherAppId_Rejected()
    {
        var result = await AuthenticateAsync(_keys.EmulatorToken(appId: "another-app"), channelId: "emulator");

        Assert.False(result.Succeeded);
        Assert.Equal("Emulator token issued to another app", result.Failure);
    }
}
