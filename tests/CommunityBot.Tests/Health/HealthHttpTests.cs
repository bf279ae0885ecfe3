using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommunityBot.Tests.Harness;

namespace CommunityBot.Tests.Health;

public sealed class HealthHttpTests
{
    [Fact]
    public async Task Ready_OutboxReplyOlderThanThreshold_UnhealthyThenHealthyWhenDelivered()
    {
        using var app = new BotApplication(new() { ["Health:OutboxReplyAge"] = "00:01:00" });
        using var client = app.CreateClient();
        app.UseTestKnowledgeBase();

        var before = await ReadyAsync(client);
        var post = await client.PostAsJsonAsync("/api/local/messages", new
        {
            conversationId = "g-health", userId = "u-zhang", userName = "张阿姨", isGroup = true, text = "@小灵通 物业电话多少",
        });
        post.EnsureSuccessStatusCode();
        var young = await ReadyAsync(client);
        app.Time.Advance(TimeSpan.FromSeconds(90));
        var stale = await ReadyAsync(client);
        Assert.Equal(1, await app.DeliverAsync());
        var drained = await ReadyAsync(client);

        Assert.Equal((HttpStatusCode.OK, "Healthy"), (before.Code, Outbox(before)));
        Assert.Equal((HttpStatusCode.OK, "Healthy"), (young.Code, Outbox(young)));
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy"), (stale.Code, Outbox(stale)));
        Assert.Equal("Unhealthy", stale.Json.GetProperty("status").GetString());
        var reason = stale.Json.GetProperty("checks").GetProperty("outbox").GetProperty("reason").GetString()!;
        Assert.Contains("90 s", reason, StringComparison.Ordinal);
        Assert.Contains("limit 60 s", reason, StringComparison.Ordinal);
        // Staff read the reasons; nothing of the resident is in them.
        Assert.DoesNotContain("张阿姨", stale.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("g-health", stale.Body, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.OK, "Healthy"), (drained.Code, Outbox(drained)));
        Assert.Equal("Healthy", drained.Json.GetProperty("checks").GetProperty("channels").GetProperty("status").GetString());
        Assert.Contains("local: last send delivered", drained.Json.GetProperty("checks").GetProperty("channels").GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ready_EveryCheckReported()
    {
        using var app = new BotApplication();
        using var client = app.CreateClient();

        var ready = await ReadyAsync(client);

        Assert.Equal(HttpStatusCode.OK, ready.Code);
        var checks = ready.Json.GetProperty("checks");
        Assert.Equal(["channels", "models", "outbox", "store"], checks.EnumerateObject().Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.Equal("reads and writes", checks.GetProperty("store").GetProperty("reason").GetString());
        Assert.Contains("Nlu:Enabled=false", checks.GetProperty("models").GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Live_AndTheOldPath_Answer()
    {
        using var app = new BotApplication();
        using var client = app.CreateClient();

        var live = await client.GetAsync("/healthz/live");
        var old = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        var json = JsonDocument.Parse(await live.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Healthy", json.GetProperty("checks").GetProperty("process").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        Assert.Equal("Healthy", await old.Content.ReadAsStringAsync());
    }

    private static string Outbox((HttpStatusCode Code, JsonElement Json, string Body) ready) =>
        ready.Json.GetProperty("checks").GetProperty("outbox").GetProperty("status").GetString()!;

    private static async Task<(HttpStatusCode Code, JsonElement Json, string Body)> ReadyAsync(HttpClient client)
    {
        var response = await client.GetAsync("/healthz/ready");
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(body).RootElement, body);
    }
}
