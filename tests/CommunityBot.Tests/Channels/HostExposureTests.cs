using System.Net;
using CommunityBot.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommunityBot.Tests.Channels;

public sealed class HostExposureTests
{
    private static HostExposure FromSettings(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        HostExposure.Register(services);
        return services.BuildServiceProvider().GetRequiredService<HostExposure>();
    }

    [Theory]
    [InlineData("http://localhost:3978", true)]
    [InlineData("http://127.0.0.1:3978;http://[::1]:3978", true)]
    [InlineData("https://LOCALHOST:5001", true)]
    [InlineData("http://0.0.0.0:3978", false)]
    [InlineData("http://*:3978", false)]
    [InlineData("http://+:3978", false)]
    [InlineData("http://[::]:3978", false)]
    [InlineData("http://192.168.1.10:3978", false)]
    [InlineData("http://bot.example.org:3978", false)] // Kestrel binds every interface for a host name
    [InlineData("http://localhost:3978;http://0.0.0.0:3979", false)]
    [InlineData("http://unix:/run/communitybot.sock", false)]
    public void Urls_DecideWhetherTheBindingIsLoopbackOnly(string urls, bool loopback)
    {
        Assert.Equal(loopback, FromSettings(new() { ["Urls"] = urls }).IsLoopbackOnly);
    }

    [Fact]
    public void NothingConfigured_IsLoopback()
    {
        // Kestrel's own default is http://localhost:5000.
        Assert.True(FromSettings([]).IsLoopbackOnly);
    }

    [Theory]
    [InlineData("HTTP_PORTS", "8080")]    // ASPNETCORE_HTTP_PORTS, as the official container images set it
    [InlineData("HTTPS_PORTS", "8443")]
    [InlineData("Kestrel:Endpoints:Http:Url", "http://0.0.0.0:80")]
    public void OtherSources_MakeThePublicBindingKnown(string key, string value)
    {
        var exposure = FromSettings(new() { ["Urls"] = "http://localhost:3978", [key] = value });

        Assert.False(exposure.IsLoopbackOnly);
        Assert.Single(exposure.PublicAddresses);
    }

    [Theory]
    [InlineData(null, null, true)]          // the in-process test server, a Unix socket
    [InlineData("127.0.0.1", null, true)]
    [InlineData("::1", null, true)]
    [InlineData("::ffff:127.0.0.1", null, true)]
    [InlineData("10.0.0.5", null, false)]
    [InlineData("127.0.0.1", "X-Forwarded-For", false)]
    [InlineData("127.0.0.1", "Forwarded", false)]
    public void Request_IsLocalOnlyFromLoopbackAndNotForwarded(string? remote, string? header, bool local)
    {
        var http = new DefaultHttpContext();
        http.Request.Host = new HostString("localhost", 3978);
        http.Connection.RemoteIpAddress = remote is null ? null : IPAddress.Parse(remote);
        if (header is not null)
        {
            http.Request.Headers[header] = "for=203.0.113.7";
        }

        Assert.Equal(local, HostExposure.IsLocalRequest(http));
        Assert.Equal(local, new HostExposure(Options.Create(new ServerAddressOptions { Urls = "http://localhost:3978" })).IsLocal(http));
        Assert.False(new HostExposure(Options.Create(new ServerAddressOptions { Urls = "http://0.0.0.0:3978" })).IsLocal(http));
    }

    [Theory]
    [InlineData("localhost:3978", true)]
    [InlineData("LOCALHOST", true)]
    [InlineData("chat.localhost:3978", true)] // RFC 6761: names under .localhost are loopback
    [InlineData("127.0.0.1:5080", true)]
    [InlineData("127.1.2.3", true)]
    [InlineData("[::1]:5080", true)]
    [InlineData("rebound.example:3978", false)]
    [InlineData("localhost.example.org", false)]
    [InlineData("10.0.0.5:3978", false)]
    [InlineData("", false)]
    public void Request_IsLocalOnlyForAHostNamingThisMachine(string host, bool local)
    {
        var http = new DefaultHttpContext();
        http.Request.Host = host.Length == 0 ? default : new HostString(host);
        http.Connection.RemoteIpAddress = IPAddress.Loopback;

        Assert.Equal(local, HostExposure.IsLocalRequest(http));
    }
}
