using System.Net;
using System.Net.Http.Headers;
using CommunityBot.Media;
using CommunityBot.Tests.Harness;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CommunityBot.Tests.Media;

/// <summary>
/// The photo fetcher against a stub photo host and stub DNS: it fetches a public host's image (typed by its bytes) and
/// refuses, without ever sending the request where it must not go, non-web addresses, private and loopback addresses
/// (literal, resolved, or reached by a redirect), too many redirects, too many bytes and bytes that are no image.
/// </summary>
public sealed class MediaFetcherTests
{
    private const string PhotoUrl = "https://files.example.org/p/lamp.png";

    private readonly FakePhotoServer _server = new();
    private readonly FakeHostResolver _hosts = new();

    [Fact]
    public async Task Fetch_PublicHostServingAnImage_ReturnsTheBytesTypedByTheirMagicNotTheHeader()
    {
        _server.Serve(PhotoUrl, TestImages.Png, "application/octet-stream");

        var result = await FetchAsync(PhotoUrl);

        Assert.Equal(TestImages.Png, result.Bytes);
        Assert.Equal(("image/png", (string?)null), (result.ContentType, result.Failure));
        Assert.Equal(PhotoUrl, Assert.Single(_server.Requests).Url);
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://files.example.org/p/lamp.png")]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:image/png;base64,iVBORw0KGgo=")]
    [InlineData("//files.example.org/p/lamp.png")]
    [InlineData("https://user:secret@files.example.org/p/lamp.png")]
    [InlineData("lamp.png")]
    public async Task Fetch_NoHttpAddress_RefusedWithoutARequest(string source)
    {
        var result = await FetchAsync(source);

        Assert.Equal(("not an http(s) address", false), (result.Failure, result.Retry));
        Assert.Empty(_server.Requests);
    }

    [Theory]
    [InlineData("http://127.0.0.1/p.png")]
    [InlineData("http://127.1.2.3:8080/p.png")]
    [InlineData("http://localhost/p.png")]
    [InlineData("http://10.0.0.5/p.png")]
    [InlineData("http://172.16.0.1/p.png")]
    [InlineData("http://192.168.1.10/p.png")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://100.64.0.1/p.png")]
    [InlineData("http://0.0.0.0/p.png")]
    [InlineData("http://[::1]/p.png")]
    [InlineData("http://[fe80::1]/p.png")]
    [InlineData("http://[fd00::1]/p.png")]
    [InlineData("http://[::ffff:10.0.0.1]/p.png")]
    [InlineData("http://[64:ff9b::a9fe:a9fe]/p.png")]
    [InlineData("http://2130706433/p.png")] // 127.0.0.1 as one number
    [InlineData("http://0x7f.1/p.png")]
    public async Task Fetch_PrivateOrLoopbackAddress_RefusedWithoutARequest(string source)
    {
        var result = await FetchAsync(source);

        Assert.Equal(("a loopback, private or unresolvable address", false), (result.Failure, result.Retry));
        Assert.Empty(_server.Requests);
    }

    [Theory]
    [InlineData("192.168.1.10")]
    [InlineData("10.1.2.3")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("93.184.216.34", "10.0.0.1")] // one private answer is enough to refuse
    [InlineData()] // the name does not resolve
    public async Task Fetch_HostNameResolvingToAPrivateAddress_RefusedWithoutARequest(params string[] addresses)
    {
        _hosts.Resolve("files.example.org", addresses);
        _server.Serve(PhotoUrl, TestImages.Png);

        var result = await FetchAsync(PhotoUrl);

        Assert.Equal("a loopback, private or unresolvable address", result.Failure);
        Assert.Empty(_server.Requests);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/iam/")]
    [InlineData("http://intranet.example.org/p.png")] // a name that resolves to a private address
    [InlineData("file:///etc/passwd")]
    public async Task Fetch_RedirectToAPrivateOrNonWebAddress_RefusedAndNotFollowed(string location)
    {
        _hosts.Resolve("intranet.example.org", "192.168.0.20");
        _server.Redirect(PhotoUrl, location);
        _server.Serve(location, TestImages.Png);

        var result = await FetchAsync(PhotoUrl);

        Assert.False(result.Retry);
        Assert.Null(result.Bytes);
        Assert.Equal([PhotoUrl], _server.Requests.Select(r => r.Url));
    }

    [Fact]
    public async Task Fetch_RelativeRedirectToAPublicHost_Followed()
    {
        _server.Redirect(PhotoUrl, "/cdn/lamp.png");
        _server.Serve("https://files.example.org/cdn/lamp.png", TestImages.Png);

        var result = await FetchAsync(PhotoUrl);

        Assert.Equal(TestImages.Png, result.Bytes);
        Assert.Equal([PhotoUrl, "https://files.example.org/cdn/lamp.png"], _server.Requests.Select(r => r.Url));
    }

    [Fact]
    public async Task Fetch_MoreRedirectsThanAllowed_Refused()
    {
        for (var i = 0; i <= MediaFetcher.MaxRedirects; i++)
        {
            _server.Redirect($"https://files.example.org/hop{i}", $"https://files.example.org/hop{i + 1}");
        }

        _server.Serve($"https://files.example.org/hop{MediaFetcher.MaxRedirects + 1}", TestImages.Png);

        var result = await FetchAsync("https://files.example.org/hop0");

        Assert.Equal("too many redirects", result.Failure);
        Assert.Equal(MediaFetcher.MaxRedirects + 1, _server.Requests.Count);
    }

    [Fact]
    public async Task Fetch_DeclaredLengthOverTheLimit_Refused()
    {
        _server.Serve(PhotoUrl, [.. TestImages.Png, .. new byte[2048]], "image/png");

        var result = await FetchAsync(PhotoUrl, new MediaOptions { MaxBytes = 1024 });

        Assert.Equal(("too large", false), (result.Failure, result.Retry));
    }

    [Fact]
    public async Task Fetch_UndeclaredLengthOverTheLimit_RefusedOnceTheLimitIsRead()
    {
        _server.Answer(PhotoUrl, _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new UnknownLengthContent([.. TestImages.Png, .. new byte[4096]]) });

        var result = await FetchAsync(PhotoUrl, new MediaOptions { MaxBytes = 1024 });

        Assert.Equal("too large", result.Failure);
    }

    [Fact]
    public async Task Fetch_ExactlyTheLimit_Kept()
    {
        byte[] photo = [.. TestImages.Png, .. new byte[1024 - TestImages.Png.Length]];
        _server.Answer(PhotoUrl, _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new UnknownLengthContent(photo) });

        var result = await FetchAsync(PhotoUrl, new MediaOptions { MaxBytes = 1024 });

        Assert.Equal(photo, result.Bytes);
    }

    [Theory]
    [InlineData("image/jpeg")]
    [InlineData("image/svg+xml")]
    [InlineData("text/html")]
    public async Task Fetch_BytesThatAreNoImage_RefusedWhateverTheClaimedType(string claimed)
    {
        _server.Serve(PhotoUrl, TestImages.Html, claimed);

        var result = await FetchAsync(PhotoUrl);

        Assert.Equal(("not a JPEG, PNG, GIF or WebP image", false), (result.Failure, result.Retry));
        Assert.Null(result.Bytes);
    }

    [Fact]
    public async Task Fetch_SvgImage_Refused()
    {
        _server.Serve(PhotoUrl, "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>"u8.ToArray(), "image/svg+xml");

        Assert.Equal("not a JPEG, PNG, GIF or WebP image", (await FetchAsync(PhotoUrl)).Failure);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public async Task Fetch_HostAnswersWithAnError_MayBeRetried(HttpStatusCode status)
    {
        _server.Fail(PhotoUrl, status);

        var result = await FetchAsync(PhotoUrl);

        Assert.Equal(($"HTTP {(int)status}", true), (result.Failure, result.Retry));
    }

    [Fact]
    public async Task Fetch_HostUnreachable_MayBeRetried_AndTheFailureNamesNoHost()
    {
        _server.Answer(PhotoUrl, _ => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (files.example.org:443)"));

        var result = await FetchAsync(PhotoUrl);

        Assert.True(result.Retry);
        Assert.Equal("unreachable (ConnectionError)", result.Failure);
    }

    [Fact]
    public async Task Fetch_PrivateAddressesAllowed_FetchesFromLoopback()
    {
        _server.Serve("http://127.0.0.1:8080/p.png", TestImages.Png);

        var result = await FetchAsync("http://127.0.0.1:8080/p.png", new MediaOptions { AllowPrivateAddresses = true });

        Assert.Equal(TestImages.Png, result.Bytes);
    }

    [Theory]
    [InlineData("93.184.216.34", true)]
    [InlineData("8.8.8.8", true)]
    [InlineData("2606:2800:220:1:248:1893:25c8:1946", true)]
    [InlineData("2002:5db8:d822::1", true)] // 6to4 of 93.184.216.34
    [InlineData("127.0.0.1", false)]
    [InlineData("10.255.255.255", false)]
    [InlineData("172.31.0.1", false)]
    [InlineData("172.32.0.1", true)]
    [InlineData("192.168.0.1", false)]
    [InlineData("169.254.1.1", false)]
    [InlineData("100.127.255.255", false)]
    [InlineData("100.128.0.1", true)]
    [InlineData("192.0.0.8", false)]
    [InlineData("198.18.0.1", false)]
    [InlineData("203.0.113.7", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("255.255.255.255", false)]
    [InlineData("::", false)]
    [InlineData("::1", false)]
    [InlineData("::ffff:192.168.0.1", false)]
    [InlineData("::ffff:93.184.216.34", true)]
    [InlineData("::192.168.0.1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fc00::1", false)]
    [InlineData("ff02::1", false)]
    [InlineData("2001:db8::1", false)]
    [InlineData("64:ff9b::c0a8:1", false)] // NAT64 of 192.168.0.1
    [InlineData("2002:c0a8:0001::1", false)] // 6to4 of 192.168.0.1
    public void IsPublic_Addresses(string address, bool expected) =>
        Assert.Equal(expected, MediaFetcher.IsPublic(IPAddress.Parse(address)));

    private Task<MediaFetchResult> FetchAsync(string source, MediaOptions? options = null) =>
        new MediaFetcher(new HttpClient(_server), [], MsOptions.Create(options ?? new MediaOptions()), _hosts)
            .FetchAsync(MediaStore.Pending(source, "test", null, "batch", MediaPurpose.Report, DateTimeOffset.UnixEpoch), CancellationToken.None);

    /// <summary>A body whose length is not known up front (chunked).</summary>
    private sealed class UnknownLengthContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
