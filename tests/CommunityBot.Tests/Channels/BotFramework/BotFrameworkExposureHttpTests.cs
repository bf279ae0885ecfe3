using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CommunityBot.Broadcasts;
using CommunityBot.Channels.WeCom;
using CommunityBot.Channels.WebChat;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Notifications;
using CommunityBot.Tests.Admin;
using CommunityBot.Tests.Channels.WeCom;
using CommunityBot.Tests.Harness;
using CommunityBot.Tickets;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityBot.Tests.Channels.BotFramework;

/// <summary>
/// Through the real host: <c>/api/messages</c> takes only Bot Framework channels, without an app id only from this
/// machine (or with the opt-in), and never makes the server call a service URL it does not trust.
/// </summary>
public sealed class BotFrameworkExposureHttpTests
{
    private const string PublicUrls = "http://0.0.0.0:3978";

    // Token and key of the official WeCom sample (protocols C.1), as in WeComHttpTests.
    private const string WeComToken = "QDG6eK";
    private const string WeComKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    private const string WeComChatId = "wrkSFfCgAAxxxx";

    private static JsonNode Payload(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", name)))!;

    private static StringContent Json(JsonNode activity) => new(activity.ToJsonString(), Encoding.UTF8, "application/json");

    private static string Snapshot(BotApplication app) =>
        JsonSerializer.Serialize(app.Services.GetRequiredService<TicketStore>().All().Select(t => new { t.Number, t.Status, t.AssigneeId, Events = t.Events.Count }));

    public static TheoryData<string, string> ForgedActivities => new()
    {
        // A worker's card action, as the console's channel and the other channels name it, and a resident's question.
        { "admin", "take-over" },
        { "local", "take-over" },
        { "wecom", "take-over" },
        { "admin", "question" },
        { "local", "question" },
        { "wecom", "question" },
    };

    [Theory]
    [MemberData(nameof(ForgedActivities))]
    public async Task Messages_ForgedChannel_RefusedWithNothingProcessedOrSent(string channel, string kind)
    {
        using var app = new BotApplication();
        using var client = app.CreateClient();
        app.UseTestKnowledgeBase();
        AdminTestKit.MoveToOfficeHours(app);
        var number = await AdminTestKit.FileTicketAsync(app);
        var outbox = app.Services.GetRequiredService<Outbox>();
        var queued = outbox.All().Count;
        var tickets = Snapshot(app);
        var forged = new JsonObject
        {
            ["type"] = "message",
            ["id"] = "forged-1",
            ["channelId"] = channel,
            ["serviceUrl"] = "https://smba.trafficmanager.net/apac/",
            ["conversation"] = new JsonObject { ["id"] = kind == "question" ? "private-zhang" : "private-worker-wangfang" },
            ["from"] = new JsonObject { ["id"] = kind == "question" ? "zhang" : channel == "admin" ? "w-wangfang" : "worker-wangfang" },
            ["recipient"] = new JsonObject { ["id"] = "bot" },
        };
        if (kind == "question")
        {
            forged["text"] = "物业电话多少";
        }
        else
        {
            forged["value"] = new JsonObject { ["value"] = $"tk:{number}:TakeOver" };
        }

        var response = await client.PostAsync("/api/messages", Json(forged));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(queued, outbox.All().Count); // no reply queued for any channel
        Assert.Equal(tickets, Snapshot(app));     // no take-over
        await app.DeliverAsync();
        Assert.Empty(app.Connector.Calls);
        var mailbox = app.Services.GetRequiredService<WebChatMailbox>();
        Assert.Empty(mailbox.GetAfter("private-zhang", 0).Messages);
        Assert.DoesNotContain(mailbox.GetAfter("private-worker-wangfang", 0).Messages, m => m.From == WebChatSender.User);
    }

    [Fact]
    public async Task Messages_PublicBindingWithoutAppId_Refused401WhileWeComCallbacksAreAnswered()
    {
        var wecom = new FakeWeComHandler();
        using var app = new BotApplication(new()
        {
            ["Urls"] = PublicUrls,
            ["WeCom:Token"] = WeComToken,
            ["WeCom:EncodingAESKey"] = WeComKey,
        })
        {
            WeComHandler = wecom,
        };
        using var client = app.CreateClient();
        app.UseTestKnowledgeBase();

        var teams = await client.PostAsync("/api/messages", Json(Payload("teams-group-mention.json")));
        var callback = await PostWeComGroupTextAsync(client, app, "@小灵通 物业电话多少");

        Assert.Equal(HttpStatusCode.Unauthorized, teams.StatusCode);
        Assert.Equal(HttpStatusCode.OK, callback.StatusCode);
        Assert.Equal(1, await app.DeliverAsync());
        Assert.Empty(app.Connector.Calls);
        Assert.Contains(DemoKnowledgeBase.PropertyPhoneAnswer, Assert.Single(wecom.Calls).Body!["markdown"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        // The signed callback registers its group; the refused activity registered nothing.
        Assert.Equal("wecom/" + WeComChatId, Assert.Single(app.Services.GetRequiredService<GroupRegistry>().All()).Key);
    }

    /// <summary>A signed, encrypted 智能机器人 group text callback (protocols B.1), stamped with the host's clock.</summary>
    private static Task<HttpResponseMessage> PostWeComGroupTextAsync(HttpClient client, BotApplication app, string text)
    {
        var crypto = new WeComCrypto(WeComToken, WeComKey, "");
        var plaintext = new JsonObject
        {
            ["msgid"] = "MSG-1",
            ["aibotid"] = "AIBOTID",
            ["chatid"] = WeComChatId,
            ["chattype"] = "group",
            ["from"] = new JsonObject { ["userid"] = "zhangsan" },
            ["response_url"] = "https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=RC1",
            ["msgtype"] = "text",
            ["text"] = new JsonObject { ["content"] = text },
        }.ToJsonString();
        var encrypt = crypto.Encrypt(Encoding.UTF8.GetBytes(plaintext));
        var timestamp = app.Time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        const string nonce = "1234567890";
        var signature = crypto.Sign(timestamp, nonce, encrypt);
        return client.PostAsync(
            $"/api/wecom?msg_signature={signature}&timestamp={timestamp}&nonce={nonce}",
            new StringContent(new JsonObject { ["encrypt"] = encrypt }.ToJsonString(), Encoding.UTF8, "application/json"));
    }

    [Fact]
    public async Task Messages_PublicBindingWithAllowUnauthenticated_Answered()
    {
        using var app = new BotApplication(new() { ["Urls"] = PublicUrls, ["BotFramework:AllowUnauthenticated"] = "true" });
        using var client = app.CreateClient();
        app.UseTestKnowledgeBase();

        var response = await client.PostAsync("/api/messages", Json(Payload("teams-group-mention.json")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await app.DeliverAsync());
        Assert.Equal(DemoKnowledgeBase.PropertyPhoneAnswer, Assert.Single(app.Connector.Calls).Text);
    }

    [Theory]
    [InlineData("X-Forwarded-For", "203.0.113.7")]              // a reverse proxy on this machine forwarding the public
    [InlineData("Forwarded", "for=203.0.113.7")]
    [InlineData(BotApplication.ClientAddressHeader, "192.168.1.20")] // another machine on the LAN
    public async Task Messages_LoopbackBindingWithoutAppId_RequestNotFromThisMachineIs401(string header, string value)
    {
        using var app = new BotApplication();
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = Json(Payload("teams-personal.json")) };
        request.Headers.Add(header, value);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await app.DeliverAsync());
        Assert.Empty(app.Connector.Calls);
    }

    [Theory]
    [InlineData("https://attacker.example/")]
    [InlineData("http://169.254.169.254/latest/")]
    [InlineData("https://smba.trafficmanager.net.attacker.example/")]
    public async Task Messages_ServiceUrlNotAllowed_RefusedAndNeverContacted(string serviceUrl)
    {
        using var app = new BotApplication();
        using var client = app.CreateClient();
        var activity = Payload("teams-personal.json");
        activity["serviceUrl"] = serviceUrl;
        activity["text"] = "物业电话多少";

        var response = await client.PostAsync("/api/messages", Json(activity));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(app.Services.GetRequiredService<Outbox>().All());
        Assert.Equal(0, await app.DeliverAsync());
        Assert.Empty(app.Connector.Calls);
    }

    [Fact]
    public async Task Outbox_StoredReferenceToAHostNotAllowed_IsNeverContacted()
    {
        using var app = new BotApplication();
        using var client = app.CreateClient();
        var outbox = app.Services.GetRequiredService<Outbox>();
        var to = new ConversationReference
        {
            Channel = "msteams", ConversationId = "a:1", UserId = "29:1", BotId = "28:bot", ServiceUrl = "https://attacker.example/",
        };
        await outbox.SendAsync(to, OutboundMessage.Plain("您好"), CancellationToken.None);

        Assert.Equal(0, await app.DeliverAsync());

        Assert.Empty(app.Connector.Calls);
        Assert.Contains("not allowed", Assert.Single(outbox.All()).LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Messages_UnauthenticatedGroupActivity_IsAnsweredButRegistersNoGroup()
    {
        using var app = new BotApplication();
        using var client = app.CreateClient();
        app.UseTestKnowledgeBase();

        var response = await client.PostAsync("/api/messages", Json(Payload("teams-group-mention.json")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await app.DeliverAsync());
        Assert.Empty(app.Services.GetRequiredService<GroupRegistry>().All());
    }
}
