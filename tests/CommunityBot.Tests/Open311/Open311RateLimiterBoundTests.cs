using System.Net;
using CommunityBot.Open311;
using CommunityBot.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityBot.Tests.Open311;

/// <summary>Wrong keys from many addresses: the limiter keeps at most <c>Open311:MaxRateWindows</c> windows.</summary>
public sealed class Open311RateLimiterBoundTests : IDisposable
{
    private const string ApiKey = "district-platform-key";

    private readonly BotApplication _app = new(new Dictionary<string, string?>
    {
        ["Open311:ApiKeys:0"] = ApiKey,
        ["Open311:MaxRateWindows"] = "10",
    });

    private readonly HttpClient _client;

    public Open311RateLimiterBoundTests()
    {
        _client = _app.CreateClient();
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task WrongKeys_FromManyAddresses_WindowsBoundedAndTheRealClientStillServed()
    {
        for (var i = 0; i < 40; i++)
        {
            var response = await PostAsync("guess-" + i, $"10.0.{i / 250}.{i % 250 + 1}");
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        var limiter = _app.Services.GetRequiredService<Open311RateLimiter>();
        Assert.Equal(10, limiter.Count);

        var real = await PostAsync(ApiKey, "192.0.2.7");
        Assert.Equal(HttpStatusCode.OK, real.StatusCode);
        Assert.Equal(10, limiter.Count);
    }

    [Fact]
    public async Task Windows_ThatEnded_DroppedFirst()
    {
        for (var i = 0; i < 10; i++)
        {
            await PostAsync("guess", $"10.1.0.{i + 1}");
        }

        _app.Time.Advance(TimeSpan.FromMinutes(2));
        await PostAsync("guess", "10.2.0.1");

        Assert.Equal(1, _app.Services.GetRequiredService<Open311RateLimiter>().Count);
    }

    private Task<HttpResponseMessage> PostAsync(string key, string address)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/open311/v2/requests.json")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["api_key"] = key,
                ["service_code"] = "property",
                ["description"] = "电梯坏了",
                ["address_string"] = "1号楼",
            }),
        };
        request.Headers.Add(BotApplication.ClientAddressHeader, address);
        return _client.SendAsync(request);
    }
}
