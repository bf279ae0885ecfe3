using System.Net;
using System.Net.Http.Json;
using CommunityBot.Broadcasts;
using CommunityBot.Channels.WebChat;
using CommunityBot.Notifications;
using CommunityBot.Tests.Admin;
using CommunityBot.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityBot.Tests.Channels.WebChat;

/// <summary>
/// Through the real host: the local chat page is for this machine. On a public binding it is absent unless the
/// operator opts in, and even then a caller from elsewhere is a resident, never a directory worker.
/// </summary>
public sealed class WebChatExposureHttpTests
{
    private const string PublicUrls = "http://0.0.0.0:3978;http://localhost:3978";
    private const string Stranger = "203.0.113.7";

    // 王芳, the demo directory's grid worker for 幸福里, chats on the page as this user.
    private const string WorkerUserId = "worker-wangfang";

    [Theory]
    [InlineData("/")]
    [InlineData("/index.html")]
    [InlineData("/chat.js")]
    [InlineData("/api/local/demo")]
    [InlineData("/api/local/conversations/demo-group/messages")]
    public async Task Page_PublicBinding_IsAbsent(string path)
    {
        using var app = new BotApplication(new() { ["Urls"] = PublicUrls });
        using var client = app.CreateClient();

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task PostMessage_PublicBinding_IsAbsentAndNothingIsProcessed()
    {
        using var app = new BotApplication(new() { ["Urls"] = PublicUrls });
        using var client = app.CreateClient();

        var response = await client.PostAsJsonAsync("/api/local/messages",
            new { conversationId = "private-zhang", userId = "zhang", isGroup = false, text = "物业电话多少" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(app.Services.GetRequiredService<Outbox>().All());
    }

    [Theory]
    [InlineData("Urls", PublicUrls)]
    [InlineData("WebChat:Enabled", "false")]
    public async Task ConsoleStylesheet_ChatNotServed_IsStillServed(string key, string value)
    {
        using var app = new BotApplication(new() { [key] = value });
        using var client = app.CreateClient();

        var response = await client.GetAsync("/admin/admin.css");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("X-Forwarded-For", Stranger)]
    [InlineData(BotApplication.ClientAddressHeader, "192.168.1.20")]
    public async Task Page_LoopbackBindingRequestNotFromThisMachine_IsAbsent(string header, string value)
    {
        using var app = new BotApplication();
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Add(header, value);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/local/demo")).StatusCode);
    }

    [Theory]
    [InlineData("rebound.example:3978")] // a page's own name re-pointed at 127.0.0.1 (DNS rebinding)
    [InlineData("192.168.1.10:3978")]
    public async Task Page_LoopbackRequestForAnotherHostName_IsAbsentAndNothingIsProcessed(string host)
    {
        using var app = new BotApplication();
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Host = host;

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/local/demo")).StatusCode);
        var posted = await client.PostAsJsonAsync("/api/local/messages",
            new { conversationId = "private-wang", userId = WorkerUserId, isGroup = false, text = "我的工单" });
        Assert.Equal(HttpStatusCode.NotFound, posted.StatusCode);
        Assert.Empty(app.Services.GetRequiredService<Outbox>().All());
    }

    [Theory]
    [InlineData("localhost:3978")]
    [InlineData("127.0.0.1:5080")]
    [InlineData("[::1]:5080")]
    public async Task Page_LoopbackRequestForThisMachine_IsServed(string host)
    {
        using var app = new BotApplication();
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Host = host;

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/local/demo")).StatusCode);
    }

    [Fact]
    public async Task Demo_AllowRemote_StrangerCannotReadAWorkersCards()
    {
        using var app = RemoteDemo();
        using var client = StrangerClient(app);
        AdminTestKit.MoveToOfficeHours(app);
        await AdminTestKit.FileTicketAsync(app); // its card, with the resident's phone, goes to 王芳's private chat
        await app.DeliverAsync();
        Assert.NotEmpty(app.Services.GetRequiredService<WebChatMailbox>().GetAfter("private-" + WorkerUserId, 0).Messages);

        var asWorker = await client.GetAsync($"/api/local/conversations/private-{WorkerUserId}/messages?userId={WorkerUserId}");
        var anonymous = await client.GetFromJsonAsync<WebChatEndpoints.MessagesResult>($"/api/local/conversations/private-{WorkerUserId}/messages");

        Assert.Equal(HttpStatusCode.Forbidden, asWorker.StatusCode);
        Assert.Equal("application/problem+json", asWorker.Content.Headers.ContentType?.MediaType);
        Assert.Empty(anonymous!.Messages);
    }

    [Fact]
    public async Task Demo_AllowRemote_StrangerCannotSpeakAsAWorker()
    {
        using var app = RemoteDemo();
        using var client = StrangerClient(app);

        var response = await client.PostAsJsonAsync("/api/local/messages",
            new { conversationId = "private-" + WorkerUserId, userId = WorkerUserId, isGroup = false, text = "接管" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(app.Services.GetRequiredService<WebChatMailbox>().GetAfter("private-" + WorkerUserId, 0).Messages);
        Assert.Empty(app.Services.GetRequiredService<Outbox>().All());
    }

    [Fact]
    public async Task Demo_AllowRemote_StrangerChatsAsAResidentWithoutWorkersOrGroupRegistration()
    {
        using var app = RemoteDemo();
        using var client = StrangerClient(app);
        app.UseTestKnowledgeBase();

        var demo = await client.GetFromJsonAsync<WebChatDemo.DemoSetup>("/api/local/demo");
        var posted = await client.PostAsJsonAsync("/api/local/messages",
            new { conversationId = "demo-group", userId = "zhang", isGroup = true, text = "@小灵通 物业电话多少" });
        await app.DeliverAsync();
        var messages = await client.GetFromJsonAsync<WebChatEndpoints.MessagesResult>("/api/local/conversations/demo-group/messages?userId=zhang");

        Assert.All(demo!.Residents, r => Assert.Null(r.Role)); // no worker to pick
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        Assert.Contains(messages!.Messages, m => m.From == "bot" && m.Text == DemoKnowledgeBase.PropertyPhoneAnswer);
        Assert.Empty(app.Services.GetRequiredService<GroupRegistry>().All());
    }

    private static BotApplication RemoteDemo() => new(new() { ["Urls"] = PublicUrls, ["WebChat:AllowRemote"] = "true" });

    private static HttpClient StrangerClient(BotApplication app)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add(BotApplication.ClientAddressHeader, Stranger);
        return client;
    }
}
