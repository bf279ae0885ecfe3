using System.Net;
using System.Net.Http.Headers;
using CommunityBot.Tests.Harness;

namespace CommunityBot.Tests.Channels.WebChat;

/// <summary>A post in a charset the JSON reader cannot take: a 415 problem with nothing stored, not a 500.</summary>
public sealed class WebChatCharsetHttpTests : IDisposable
{
    private readonly BotApplication _app = new();
    private readonly HttpClient _client;

    public WebChatCharsetHttpTests()
    {
        _client = _app.CreateClient();
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task Post_Utf7Json_415AndNothingStored()
    {
        var content = new StringContent("""{"conversationId":"c1","userId":"u1","isGroup":false,"text":"物业电话多少"}""");
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-7");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/local/messages") { Content = content };
        request.Headers.Add(BotApplication.ClientAddressHeader, "127.0.0.1");

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, _app.Database.GetCollection("processed_messages").Count());
        Assert.Equal(0, await _app.DeliverAsync());
    }
}
