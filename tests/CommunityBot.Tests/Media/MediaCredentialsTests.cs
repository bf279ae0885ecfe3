using CommunityBot.Channels.BotFramework;
using CommunityBot.Channels.WeCom;
using CommunityBot.Media;
using CommunityBot.Tests.Harness;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CommunityBot.Tests.Media;

/// <summary>
/// The channels' ways into their photos: the bot's Teams token goes only to the conversation's own, allowed Bot
/// Framework service host (never to a file host, another host it redirects to, or a service URL the policy refuses);
/// WeCom's encrypted downloads are decrypted with the EncodingAESKey.
/// </summary>
public sealed class MediaCredentialsTests
{
    private const string ServiceUrl = "https://smba.trafficmanager.net/apac/";
    private const string TeamsPhoto = ServiceUrl + "v3/attachments/0-abc/views/original";
    private const string Bearer = "Bearer " + FakeCredentialsFactory.DefaultToken;

    // The 43-character key of WeCom's own samples (protocols B.2.1).
    private const string EncodingAesKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

    private readonly FakePhotoServer _server = new();

    [Fact]
    public async Task Teams_PhotoOnTheConversationsServiceHost_CarriesTheBotsToken()
    {
        _server.Serve(TeamsPhoto, TestImages.Png);

        var result = await FetchAsync(TeamsPhoto, "msteams", ServiceUrl);

        Assert.Equal(TestImages.Png, result.Bytes);
        Assert.Equal(Bearer, Assert.Single(_server.Requests).Authorization);
    }

    [Theory]
    [InlineData("https://contoso.sharepoint.com/download/photo.jpg?tempauth=x")] // a Teams file's download link
    [InlineData("https://smba.trafficmanager.net.evil.example/apac/v3/attachments/1")]
    [InlineData("https://smba.trafficmanager.net:8443/apac/v3/attachments/1")] // same host, another port
    [InlineData("http://smba.trafficmanager.net/apac/v3/attachments/1")] // same host, no TLS
    public async Task Teams_PhotoOnAnotherHost_FetchedWithoutTheToken(string photo)
    {
        _server.Serve(photo, TestImages.Png);

        var result = await FetchAsync(photo, "msteams", ServiceUrl);

        Assert.Equal(TestImages.Png, result.Bytes);
        Assert.Null(Assert.Single(_server.Requests).Authorization);
    }

    [Fact]
    public async Task Teams_ServiceHostRedirectsElsewhere_TheNextHopGetsNoToken()
    {
        const string Blob = "https://attachments.example.net/blob/0-abc";
        _server.Redirect(TeamsPhoto, Blob);
        _server.Serve(Blob, TestImages.Png);

        var result = await FetchAsync(TeamsPhoto, "msteams", ServiceUrl);

        Assert.Equal(TestImages.Png, result.Bytes);
        Assert.Equal([(TeamsPhoto, Bearer), (Blob, null)], _server.Requests.Select(r => (r.Url, r.Authorization)));
    }

    [Fact]
    public async Task Teams_ServiceUrlThePolicyRefuses_NoTokenEvenToItsOwnHost()
    {
        // An activity naming a service URL of its choosing must not make the bot hand its token there.
        const string Forged = "https://bot-token-catcher.example.com/";
        _server.Serve(Forged + "v3/attachments/1", TestImages.Png);

        await FetchAsync(Forged + "v3/attachments/1", "msteams", Forged);

        Assert.Null(Assert.Single(_server.Requests).Authorization);
    }

    [Fact]
    public async Task Teams_PhotoFromAnotherChannel_NeverGetsTheToken()
    {
        _server.Serve(TeamsPhoto, TestImages.Png);

        await FetchAsync(TeamsPhoto, "wecom", serviceUrl: null);

        Assert.Null(Assert.Single(_server.Requests).Authorization);
    }

    [Fact]
    public async Task WeCom_EncryptedDownload_DecryptedToThePhoto()
    {
        const string Url = "https://ww-aibot-img.example.cn/abc";
        _server.Serve(Url, WeComMediaCredentials.Encrypt(TestImages.Png, Key()), "application/octet-stream");

        var result = await FetchAsync(Url, WeComMessageMapper.ChannelId, serviceUrl: null);

        Assert.Equal(TestImages.Png, result.Bytes);
        Assert.Equal("image/png", result.ContentType);
        Assert.Null(Assert.Single(_server.Requests).Authorization);
    }

    [Fact]
    public async Task WeCom_PlainImage_TakenAsItIs()
    {
        const string Url = "https://wework.example/image?id=LAMP";
        _server.Serve(Url, TestImages.Jpeg);

        Assert.Equal(TestImages.Jpeg, (await FetchAsync(Url, WeComMessageMapper.ChannelId, serviceUrl: null)).Bytes);
    }

    [Fact]
    public async Task WeCom_EncryptedWithAnotherKey_NotKept()
    {
        const string Url = "https://ww-aibot-img.example.cn/abc";
        var otherKey = Convert.FromBase64String("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG=");
        _server.Serve(Url, WeComMediaCredentials.Encrypt(TestImages.Png, otherKey));

        var result = await FetchAsync(Url, WeComMessageMapper.ChannelId, serviceUrl: null);

        Assert.Null(result.Bytes);
        Assert.False(result.Retry);
    }

    [Fact]
    public void WeCom_DecryptRoundTrip_PadsTo32ByteBlocks()
    {
        var file = new byte[64]; // a whole number of blocks gets a full block of padding
        var cipher = WeComMediaCredentials.Encrypt(file, Key());

        Assert.Equal(96, cipher.Length);
        Assert.Equal(file, WeComMediaCredentials.Decrypt(cipher, Key()));
    }

    private static byte[] Key() => Convert.FromBase64String(EncodingAesKey + "=");

    private Task<MediaFetchResult> FetchAsync(string source, string channel, string? serviceUrl)
    {
        // Bot Framework authentication on, as in production: the policy allows https service hosts on its list only.
        var botFramework = new BotFrameworkOptions { MicrosoftAppId = "00000000-0000-0000-0000-000000000001", MicrosoftAppPassword = "secret" };
        IMediaCredentials[] credentials =
        [
            new BotFrameworkMediaCredentials(new FakeCredentialsFactory(), new ServiceUrlPolicy(botFramework), MsOptions.Create(botFramework)),
            new WeComMediaCredentials(MsOptions.Create(new WeComOptions { Token = "token", EncodingAESKey = EncodingAesKey })),
        ];
        var fetcher = new MediaFetcher(new HttpClient(_server), credentials, MsOptions.Create(new MediaOptions()), new FakeHostResolver());
        return fetcher.FetchAsync(MediaStore.Pending(source, channel, serviceUrl, "batch", MediaPurpose.Report, DateTimeOffset.UnixEpoch), CancellationToken.None);
    }
}
