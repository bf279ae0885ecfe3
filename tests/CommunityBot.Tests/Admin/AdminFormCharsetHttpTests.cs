using System.Net;
using System.Net.Http.Headers;
using CommunityBot.Tests.Harness;

namespace CommunityBot.Tests.Admin;

/// <summary>Console forms in a charset the form reader cannot take: a 415 problem, not a 500.</summary>
public sealed class AdminFormCharsetHttpTests : IDisposable
{
    private readonly BotApplication _app = new();
    private readonly HttpClient _client;

    public AdminFormCharsetHttpTests()
    {
        _client = _app.CreateClient();
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Theory]
    [InlineData("/admin/login")]
    [InlineData("/admin/logout")]
    public async Task Post_Utf7Form_415Problem(string path)
    {
        var content = new StringContent("name=admin&password=x");
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-www-form-urlencoded; charset=utf-7");

        var response = await _client.PostAsync(path, content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
