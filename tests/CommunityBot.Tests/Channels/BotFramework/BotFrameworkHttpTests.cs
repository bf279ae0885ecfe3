using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CommunityBot.Faq;
using CommunityBot.Notifications;
using CommunityBot.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommunityBot.Tests.Channels.BotFramework;

/// <summary>Through the real host: Teams-shaped activities in, replies out at a fake Connector.</summary>
public sealed class BotFrameworkHttpTests : IDisposable
{
    private readonly BotApplication _app = new();
    private readonly HttpClient _client;

    public BotFrameworkHttpTests()
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
    public void Settings_FromTheRootAppsettingsFile_ReachTheTestHost()
    {
        // appsettings.json at the repository root sets 0.5 s; the class default is 1 s.
        Assert.Equal(TimeSpan.FromMilliseconds(500), _app.Services.GetRequiredService<IOptions<OutboxOptions>>().Value.PollInterval);
    }

    [Fact]
    public void Startup_EmptyKnowledgeBase_IsSeededWithTheDemoEntries()
    {
        using var app = new BotApplication();
        using var client = app.CreateClient();

        Assert.True(app.Services.GetRequiredService<FaqStore>().Count() >= 80);
    }

    [Fact]
    public async Task GroupMention_Teams_AnswersInTheThreadThroughTheConnector()
    {
        var response = await PostAsync(Payload("teams-group-mention.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(_app.Connector.Calls); // nothing is sent from the SDK turn: the reply waits in the outbox, committed
        Assert.Single(_app.Services.GetRequiredService<Outbox>().All());
        Assert.Equal(1, await _app.DeliverAsync());
        var call = Assert.Single(_app.Connector.Calls);
        Assert.Equal(HttpMethod.Post, call.Method);
        Assert.Equal(
            "https://smba.trafficmanager.net/apac/v3/conversations/19%3Aabc%40thread.skype%3Bmessageid%3D1/activities/1712345678901",
            call.Uri.AbsoluteUri);
        Assert.Equal(DemoKnowledgeBase.PropertyPhoneAnswer, call.Text);
        Assert.Equal("29:1resident-wang", call.Body!["recipient"]!["id"]!.GetValue<string>());
        Assert.Null(call.Authorization); // no app id configured: no token is sent
    }

    [Fact]
    public async Task GroupMessage_WithoutMention_GetsNoReply()
    {
        var response = await PostAsync(Payload("teams-group-no-mention.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, await _app.DeliverAsync());
        Assert.Empty(_app.Connector.Calls);
    }

    [Fact]
    public async Task PersonalChat_Question_IsAnswered()
    {
        var activity = Payload("teams-personal.json");
        activity["text"] = "物业费在哪交";

        await PostAsync(activity);
        await _app.DeliverAsync();

        Assert.StartsWith("物业费可在", Assert.Single(_app.Connector.Calls).Text);
    }

    [Fact]
    public async Task BotAddedToTeam_GreetsTheChannelOnce()
    {
        await PostAsync(Payload("teams-bot-added.json"));
        var again = Payload("teams-bot-added.json");
        again["id"] = "f:another-delivery-of-the-same-install";
        await PostAsync(again);
        await _app.DeliverAsync();

        Assert.Contains("大家好", Assert.Single(_app.Connector.Calls).Text);
    }

    [Fact]
    public async Task SameActivityDeliveredTwice_IsAnsweredOnce()
    {
        var first = await PostAsync(Payload("teams-group-mention.json"));
        var second = await PostAsync(Payload("teams-group-mention.json"));
        await _app.DeliverAsync();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Single(_app.Connector.Calls);
    }

    [Fact]
    public async Task Suggestions_AreAnAdaptiveCardWhoseSubmitAnswers()
    {
        var activity = Payload("teams-group-mention.json");
        activity["text"] = "<at>小灵通</at> 在哪交钱";
        await PostAsync(activity);
        await _app.DeliverAsync();

        var card = Assert.Single(_app.Connector.Calls).Body!["attachments"]![0]!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", card["contentType"]!.GetValue<string>());
        var firstAction = card["content"]!["actions"]![0]!;
        var value = firstAction["data"]!["value"]!.GetValue<string>();

        var submit = Payload("teams-group-mention.json");
        submit["id"] = "submit-1";
        submit["text"] = null;
        submit["entities"] = new JsonArray();
        submit["value"] = new JsonObject { ["action"] = "button", ["value"] = value };
        await PostAsync(submit);
        await _app.DeliverAsync();

        var answer = _app.Services.GetRequiredService<FaqStore>().Find(value["faq:".Length..])!.Answer;
        Assert.Equal(answer, _app.Connector.Calls[^1].Text);
    }

    [Fact]
    public async Task MalformedJson_Returns400Problem()
    {
        var response = await _client.PostAsync("/api/messages", new StringContent("{\"type\": \"message\",", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task OversizedBody_Returns400AndNothingIsProcessed()
    {
        var activity = Payload("teams-group-mention.json");
        activity["text"] = "<at>小灵通</at> " + new string('吵', 200_000);

        var response = await PostAsync(activity);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await _app.DeliverAsync());
    }

    [Fact]
    public async Task LongButAcceptedMessage_IsAskedToBeShortened()
    {
        var activity = Payload("teams-group-mention.json");
        activity["text"] = "<at>小灵通</at> " + new string('吵', 2100);

        await PostAsync(activity);
        await _app.DeliverAsync();

        Assert.Contains("消息太长了", Assert.Single(_app.Connector.Calls).Text);
    }

    [Fact]
    public async Task AppIdConfigured_RequestWithoutToken_Is401AndNothingIsProcessed()
    {
        using var secured = new BotApplication(new()
        {
            ["BotFramework:MicrosoftAppId"] = "11111111-2222-3333-4444-555555555555",
            ["BotFramework:MicrosoftAppPassword"] = "test-secret",
        });
        using var client = secured.CreateClient();

        var response = await client.PostAsync("/api/messages", Json(Payload("teams-group-mention.json")));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await secured.DeliverAsync());
        Assert.Empty(secured.Connector.Calls);
    }

    private Task<HttpResponseMessage> PostAsync(JsonNode activity) => _client.PostAsync("/api/messages", Json(activity));

    private static StringContent Json(JsonNode activity) => new(activity.ToJsonString(), Encoding.UTF8, "application/json");

    private static JsonNode Payload(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", name)))!;
}
