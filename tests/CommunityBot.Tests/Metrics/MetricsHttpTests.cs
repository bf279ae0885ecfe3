using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using CommunityBot.Metrics;
using CommunityBot.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityBot.Tests.Metrics;

/// <summary>
/// OpenTelemetry listens to every meter named <c>CommunityBot</c> in the process, also those of other test hosts: these
/// tests run alone (<see cref="MetricsCollection"/>) so their counts are their own.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed partial class MetricsHttpTests
{
    [Fact]
    public async Task Scrape_AfterAnAnsweredQuestion_CountsTheTurnTheAnswerAndItsLatency()
    {
        using var app = new BotApplication(new() { ["Metrics:Enabled"] = "true" });
        using var client = app.CreateClient();
        app.UseTestKnowledgeBase();

        await PostAsync(client, "@小灵通 物业电话多少");
        app.Time.Advance(TimeSpan.FromMilliseconds(300));
        Assert.Equal(1, await app.DeliverAsync());
        var scrape = await client.GetAsync("/metrics");
        var text = await scrape.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Equal(1, Value(text, "communitybot_turns_total", ("channel", "local"), ("outcome", "processed")));
        Assert.Equal(1, Value(text, "communitybot_faq_total", ("channel", "local"), ("outcome", "answered")));
        Assert.Equal(1, Value(text, "communitybot_outbox_deliveries_total", ("channel", "local"), ("outcome", "delivered")));
        Assert.Equal(1, Value(text, "communitybot_answer_latency_seconds_count", ("channel", "local")));
        Assert.Equal(0.3, Value(text, "communitybot_answer_latency_seconds_sum", ("channel", "local")), 3);
        Assert.Equal(0, Value(text, "communitybot_outbox_backlog", ("kind", "reply")));
        // The same figures for the 运行状态 page.
        var snapshot = app.Services.GetRequiredService<BotMetrics>().Snapshot();
        Assert.Equal(1, snapshot.Total("turns", "processed"));
        Assert.Equal(1, snapshot.Total("faq", "answered"));
        Assert.Equal(TimeSpan.FromMilliseconds(300), snapshot.AnswerLatencyMedian);
    }

    [Fact]
    public async Task Scrape_FromAnotherMachine_NotFoundWithoutTheToken()
    {
        const string token = "scrape-token-0123456789abcdef0123456789";
        using var app = new BotApplication(new() { ["Metrics:Enabled"] = "true", ["Metrics:ScrapeToken"] = token });
        using var client = app.CreateClient();

        var remote = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        remote.Headers.Add(BotApplication.ClientAddressHeader, "203.0.113.7");
        var wrong = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        wrong.Headers.Add(BotApplication.ClientAddressHeader, "203.0.113.7");
        wrong.Headers.Authorization = new("Bearer", token + "x");
        var right = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        right.Headers.Add(BotApplication.ClientAddressHeader, "203.0.113.7");
        right.Headers.Authorization = new("Bearer", token);

        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(remote)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(wrong)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(right)).StatusCode);
    }

    [Fact]
    public async Task Scrape_MetricsOff_NotFound()
    {
        using var app = new BotApplication();
        using var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/metrics")).StatusCode);
    }

    private static async Task PostAsync(HttpClient client, string text)
    {
        var response = await client.PostAsJsonAsync("/api/local/messages", new { conversationId = "g-metrics", userId = "u-li", userName = "李先生", isGroup = true, text });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The value of the one series named <paramref name="name"/> with these labels (others may be present too).</summary>
    private static double Value(string exposition, string name, params (string Label, string Value)[] labels)
    {
        var values = exposition.Split('\n')
            .Select(line => SeriesLine().Match(line))
            .Where(m => m.Success && m.Groups["name"].Value == name
                && labels.All(l => m.Groups["labels"].Value.Contains($"{l.Label}=\"{l.Value}\"", StringComparison.Ordinal)))
            .Select(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture))
            .ToList();
        return Assert.Single(values);
    }

    [GeneratedRegex(@"^(?<name>[a-z_]+)\{(?<labels>[^}]*)\} (?<value>[0-9.eE+-]+)")]
    private static partial Regex SeriesLine();
}
