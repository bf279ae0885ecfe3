using CommunityBot.Channels;
using CommunityBot.Media;
using Microsoft.Extensions.Time.Testing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CommunityBot.Tests.Media;

/// <summary>Where the links point: Media:PublicBaseUrl (a path prefix kept), else the server's own first address.</summary>
public sealed class MediaLinksTests
{
    private static readonly MediaItem Item = new() { Id = "0123456789abcdef0123456789abcdef" };
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private readonly MediaSigner _signer = new(new byte[32]);

    [Theory]
    [InlineData("https://bot.example.org", "https://bot.example.org")]
    [InlineData("https://bot.example.org/", "https://bot.example.org")]
    [InlineData("https://example.org/community/", "https://example.org/community")]
    public void LinkFor_PublicBase_AbsoluteSignedAndExpiringAfterTheLifetime(string publicBase, string expected)
    {
        var links = Links(new MediaOptions { PublicBaseUrl = publicBase, LinkLifetime = TimeSpan.FromDays(7) }, new ServerAddressOptions());

        var link = new Uri(links.LinkFor(Item));

        Assert.True(links.IsPublic);
        Assert.Equal(expected + "/media/" + Item.Id, link.GetLeftPart(UriPartial.Path));
        var query = System.Web.HttpUtility.ParseQueryString(link.Query);
        Assert.Equal(_time.GetUtcNow().AddDays(7).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), query["exp"]);
        Assert.True(_signer.Verify(Item.Id, query["exp"], query["sig"], _time.GetUtcNow().AddDays(7).AddSeconds(-1)));
        Assert.False(_signer.Verify(Item.Id, query["exp"], query["sig"], _time.GetUtcNow().AddDays(7)));
    }

    [Theory]
    [InlineData("http://localhost:3978", null, "http://localhost:3978")]
    [InlineData("http://*:3978;https://*:3979", null, "http://127.0.0.1:3978")]
    [InlineData("http://0.0.0.0:8080/", null, "http://127.0.0.1:8080")]
    [InlineData(null, "8080", "http://127.0.0.1:8080")]
    [InlineData(null, null, "http://localhost:5000")]
    public void LinkFor_NoPublicBase_TheServersOwnAddress(string? urls, string? httpPorts, string expected)
    {
        var links = Links(new MediaOptions(), new ServerAddressOptions { Urls = urls, HttpPorts = httpPorts });

        Assert.False(links.IsPublic);
        Assert.StartsWith(expected + "/media/" + Item.Id + "?exp=", links.LinkFor(Item), StringComparison.Ordinal);
    }

    [Fact]
    public void PathFor_ThePageLifetime_RelativeToThisServer()
    {
        var links = Links(new MediaOptions { PublicBaseUrl = "https://bot.example.org" }, new ServerAddressOptions());

        var path = links.PathFor(Item, MediaLinks.PageLifetime);

        Assert.StartsWith("/media/" + Item.Id + "?exp=" + _time.GetUtcNow().Add(MediaLinks.PageLifetime).ToUnixTimeSeconds() + "&sig=", path, StringComparison.Ordinal);
    }

    private MediaLinks Links(MediaOptions options, ServerAddressOptions server) =>
        new(_signer, MsOptions.Create(options), MsOptions.Create(server), _time);
}
