using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CommunityBot.Faq;
using CommunityBot.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityBot.Tests.Faq;

/// <summary>The misses log keeps at most <c>FaqMatching:MaxMisses</c> questions, dropping the oldest.</summary>
public sealed class MissStoreBoundTests : IDisposable
{
    private readonly BotApplication _app = new(new Dictionary<string, string?> { ["FaqMatching:MaxMisses"] = "10" });
    private readonly HttpClient _client;

    public MissStoreBoundTests()
    {
        _client = _app.CreateClient();
        _app.UseTestKnowledgeBase();
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task Misses_ManyMoreThanTheLimit_KeptAtTheLimitNewestFirst()
    {
        var misses = _app.Services.GetRequiredService<MissStore>();
        for (var i = 0; i < 25; i++)
        {
            var activity = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", "teams-personal.json")))!;
            activity["id"] = "miss-" + i;
            activity["text"] = $"火星上第{i}号基地的天气怎么样";
            var response = await _client.PostAsync("/api/messages", new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            _app.Time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.InRange(misses.Count(), 9, 10);
        Assert.Equal("火星上第24号基地的天气怎么样", misses.Recent()[0].Text);
        Assert.DoesNotContain(misses.Recent(), m => m.Text == "火星上第0号基地的天气怎么样");
    }
}
