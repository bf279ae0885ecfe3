using System.Net;
using System.Net.Http.Headers;
using CommunityBot.Media;
using CommunityBot.Storage;
using CommunityBot.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommunityBot.Tests.Media;

/// <summary>
/// <c>GET /media/{id}</c> through the real host: a valid link serves the stored image inline, typed, never sniffed, cached
/// no longer than the link lives; a bad or expired signature is a 403 and an unknown or unstored photo a 404, all without
/// a body; a file that is no longer an image is not served.
/// </summary>
public sealed class MediaEndpointsHttpTests : IDisposable
{
    private readonly BotApplication _app = new();
    private readonly HttpClient _client;

    public MediaEndpointsHttpTests() => _client = _app.CreateClient();

    private MediaStore Store => _app.Services.GetRequiredService<MediaStore>();
    private MediaLinks Links => _app.Services.GetRequiredService<MediaLinks>();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task Get_ValidLink_ServesTheImageInlineTypedNeverSniffedAndCachedPrivately()
    {
        var item = await StoredAsync(TestImages.Png, "image/png");

        var response = await _client.GetAsync(PathOf(Links.LinkFor(item)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TestImages.Png, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("inline", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(CacheControlHeaderValue.Parse("private, max-age=86400"), response.Headers.CacheControl);
        Assert.Equal("\"" + item.Sha256 + "\"", response.Headers.ETag?.Tag);
        Assert.Contains("sandbox", Header(response, "Content-Security-Policy"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_LinkAboutToExpire_CachedOnlyUntilItDoes()
    {
        var item = await StoredAsync(TestImages.Jpeg, "image/jpeg");
        var link = PathOf(Links.LinkFor(item));
        _app.Time.Advance(new MediaOptions().LinkLifetime - TimeSpan.FromSeconds(100));

        var response = await _client.GetAsync(link);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(100), response.Headers.CacheControl?.MaxAge);
    }

    [Fact]
    public async Task Get_SameETagAgain_NotModified()
    {
        var item = await StoredAsync(TestImages.Png, "image/png");
        var request = new HttpRequestMessage(HttpMethod.Get, PathOf(Links.LinkFor(item)));
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"" + item.Sha256 + "\""));

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
    }

    [Theory]
    [InlineData("sig")]
    [InlineData("exp")]
    [InlineData("id")]
    [InlineData("no sig")]
    [InlineData("no exp")]
    public async Task Get_TamperedLink_403WithoutContent(string tampered)
    {
        var item = await StoredAsync(TestImages.Png, "image/png");
        var other = await StoredAsync(TestImages.Jpeg, "image/jpeg");
        var link = PathOf(Links.LinkFor(item));
        var query = System.Web.HttpUtility.ParseQueryString(new Uri("http://x" + link).Query);
        var (exp, sig) = (query["exp"]!, query["sig"]!);
        var path = tampered switch
        {
            "sig" => $"/media/{item.Id}?exp={exp}&sig={(sig[0] == 'a' ? 'b' : 'a')}{sig[1..]}",
            "exp" => $"/media/{item.Id}?exp={long.Parse(exp, System.Globalization.CultureInfo.InvariantCulture) + 86400}&sig={sig}",
            "id" => $"/media/{other.Id}?exp={exp}&sig={sig}", // a real photo, someone else's link
            "no sig" => $"/media/{item.Id}?exp={exp}",
            _ => $"/media/{item.Id}?sig={sig}",
        };

        var response = await _client.GetAsync(path);

        await AssertEmptyAsync(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Get_ExpiredLink_403()
    {
        var item = await StoredAsync(TestImages.Png, "image/png");
        var link = PathOf(Links.LinkFor(item));
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync(link)).StatusCode);

        _app.Time.Advance(new MediaOptions().LinkLifetime);

        await AssertEmptyAsync(await _client.GetAsync(link), HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("0123456789abcdef")]
    [InlineData("..%2F..%2Fcommunitybot.db")]
    public async Task Get_NoIdOfOurs_403(string id)
    {
        var signer = _app.Services.GetRequiredService<MediaSigner>();
        var expires = _app.Time.GetUtcNow().AddDays(1).ToUnixTimeSeconds();

        var response = await _client.GetAsync($"/media/{id}?exp={expires}&sig={signer.Sign(Uri.UnescapeDataString(id), expires)}");

        await AssertEmptyAsync(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Get_UnknownPhotoWithAValidSignature_404()
    {
        var unknown = new MediaItem { Id = MediaStore.NewId() };

        await AssertEmptyAsync(await _client.GetAsync(PathOf(Links.LinkFor(unknown))), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Get_PhotoNotFetchedYet_404()
    {
        var pending = MediaStore.Pending("https://files.example.org/a.png", "test", null, MediaStore.NewId(), MediaPurpose.Report, _app.Time.GetUtcNow());
        await _app.Services.GetRequiredService<LiteDbWriter>().WriteAsync(_ => Store.Insert([pending]));

        await AssertEmptyAsync(await _client.GetAsync(PathOf(Links.LinkFor(pending))), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Get_FileChangedOnDiskIntoPageMarkup_NotServed()
    {
        var item = await StoredAsync(TestImages.Png, "image/png");
        File.WriteAllBytes(Store.FileOf(item)!, TestImages.Html);

        await AssertEmptyAsync(await _client.GetAsync(PathOf(Links.LinkFor(item))), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("ftp://bot.example.org")]
    [InlineData("bot.example.org")]
    [InlineData("https://bot.example.org/?x=1")]
    public void Host_PublicBaseUrlThatIsNoWebAddress_RefusesToStartAndSaysWhy(string publicBaseUrl)
    {
        using var app = new BotApplication(new() { ["Media:PublicBaseUrl"] = publicBaseUrl });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => app.Services.GetRequiredService<IOptions<MediaOptions>>().Value);

        Assert.Contains("Media:PublicBaseUrl", error.Message, StringComparison.Ordinal);
    }

    private async Task<MediaItem> StoredAsync(byte[] bytes, string contentType)
    {
        var item = MediaStore.Pending("https://files.example.org/" + Guid.NewGuid().ToString("N"), "test", null, MediaStore.NewId(), MediaPurpose.Report, _app.Time.GetUtcNow());
        item.TicketNumber = "WT20261123-0001";
        await _app.Services.GetRequiredService<LiteDbWriter>().WriteAsync(_ => Store.Insert([item]));
        return await Store.StoreAsync(item, bytes, contentType, _app.Time.GetUtcNow(), batchSettled: null, CancellationToken.None);
    }

    private static string PathOf(string link)
    {
        Assert.StartsWith(BotApplication.PublicBaseUrl + "/media/", link, StringComparison.Ordinal);
        return link[BotApplication.PublicBaseUrl.Length..];
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";

    private static async Task AssertEmptyAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }
}
