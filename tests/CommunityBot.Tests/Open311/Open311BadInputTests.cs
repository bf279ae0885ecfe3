using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using CommunityBot.Tests.Harness;

namespace CommunityBot.Tests.Open311;

/// <summary>Bodies the form reader cannot take: an Open311 error in the spec's list, nothing filed, never a 500.</summary>
public sealed class Open311BadInputTests : IDisposable
{
    private const string ApiKey = "district-platform-key";
    private const string Body = "api_key=" + ApiKey + "&service_code=property&description=%E7%94%B5%E6%A2%AF%E5%9D%8F%E4%BA%86&address_string=1%E5%8F%B7%E6%A5%BC";

    private readonly BotApplication _app = new(new Dictionary<string, string?> { ["Open311:ApiKeys:0"] = ApiKey });
    private readonly HttpClient _client;

    public Open311BadInputTests()
    {
        _client = _app.CreateClient();
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded; charset=utf-7", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/x-www-form-urlencoded; charset=gbk", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("multipart/form-data; boundary=xyz", HttpStatusCode.BadRequest)]
    public async Task Post_BodyTheFormReaderCannotTake_ErrorListAndNothingFiled(string contentType, HttpStatusCode expected)
    {
        var response = await PostAsync(contentType);

        Assert.Equal(expected, response.StatusCode);
        var error = Assert.Single(JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray());
        Assert.Equal((int)expected, error!["code"]!.GetValue<int>());
        Assert.Equal(0, _app.Database.GetCollection("tickets").Count());
        Assert.Equal(0, _app.Database.GetCollection("outbox").Count());
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/x-www-form-urlencoded; charset=UTF-8")]
    [InlineData("application/x-www-form-urlencoded; charset=\"utf-8\"")]
    public async Task Post_UrlencodedUtf8_Filed(string contentType)
    {
        var response = await PostAsync(contentType);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, _app.Database.GetCollection("tickets").Count());
    }

    private Task<HttpResponseMessage> PostAsync(string contentType)
    {
        var content = new StringContent(Body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return _client.PostAsync("/open311/v2/requests.json", content);
    }
}
