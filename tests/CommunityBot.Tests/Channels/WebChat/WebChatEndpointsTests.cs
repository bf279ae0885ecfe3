using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CommunityBot.Channels;
using CommunityBot.Channels.WebChat;
using CommunityBot.Conversation;
using CommunityBot.Dialogs.Conversation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace CommunityBot.Tests.Channels.WebChat;

public sealed class WebChatEndpointsTests : IAsyncLifetime
{
    private readonly TimerSignallingTimeProvider _time = new();
    private readonly ConcurrentQueue<InboundMessage> _processed = new();
    private WebApplication? _app;
    private HttpClient _http = null!;

    /// <summary>What the fake pipeline does with each turn; by default it answers addressed messages in the conversation.</summary>
    private Func<InboundMessage, IServiceProvider, Task<TurnOutcome>> _pipeline = async (inbound, services) =>
    {
        if (!inbound.AddressedToBot)
        {
            return TurnOutcome.Ignored;
        }

        var client = services.GetServices<IChannelClient>().Single(c => c.Handles(inbound.Channel));
        await client.SendAsync(
            inbound.Conversation,
            OutboundMessage.WithButtons($"收到：{inbound.Text}", [new CardAction("物业电话", "faq:property-phone")]),
            CancellationToken.None);
        return TurnOutcome.Processed;
    };

    public Task InitializeAsync() => StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private async Task StartAsync(Dictionary<string, string?>? settings = null)
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        // Rooted like Program.cs, at the output folder, where the bot project's wwwroot is copied.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Testing",
        });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.AddWebChatChannel();
        builder.Services.AddSingleton<ITurnProcessor>(services => new DelegateTurnProcessor((inbound, _) =>
        {
            _processed.Enqueue(inbound);
            return _pipeline(inbound, services);
        }));

        _app = builder.Build();
        _app.MapWebChatEndpoints();
        await _app.StartAsync();
        _http = _app.GetTestClient();
    }

    private static object Post(string text, string conversationId = "demo-group", bool isGroup = true, string userId = "zhang", string? buttonValue = null) =>
        new { conversationId, userId, userName = "张阿姨", isGroup, text, buttonValue };

    private Task<HttpResponseMessage> PostAsync(object body) => _http.PostAsJsonAsync("/api/local/messages", body);

    private async Task<WebChatEndpoints.MessagesResult> GetMessagesAsync(string query)
    {
        var response = await _http.GetAsync($"/api/local/conversations/{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<WebChatEndpoints.MessagesResult>())!;
    }

    private static async Task<string> AssertProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        return problem.GetProperty("detail").GetString()!;
    }

    [Fact]
    public async Task PostMessage_MentionInGroup_Returns202AndRunsTheTurn()
    {
        var response = await PostAsync(Post("@小灵通 物业电话多少"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("processed", body.GetProperty("outcome").GetString());
        Assert.Equal(1, body.GetProperty("watermark").GetInt64());
        Assert.Equal("/api/local/conversations/demo-group/messages?after=1", response.Headers.Location?.OriginalString);
        var inbound = Assert.Single(_processed);
        Assert.Equal("物业电话多少", inbound.Text);
        Assert.True(inbound.AddressedToBot);
        Assert.Equal("local", inbound.Channel);
        Assert.Equal(_time.GetUtcNow(), inbound.Timestamp);
    }

    [Fact]
    public async Task PostMessage_NoMentionInGroup_Returns202Ignored()
    {
        var response = await PostAsync(Post("大家好"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ignored", body.GetProperty("outcome").GetString());
        Assert.False(Assert.Single(_processed).AddressedToBot);
    }

    [Fact]
    public async Task PostMessage_TextTooLong_Returns400WithBilingualDetail()
    {
        var response = await PostAsync(Post(new string('吵', 2_001)));

        var detail = await AssertProblemAsync(response);
        Assert.Contains("消息过长", detail);
        Assert.Contains("too long", detail);
        Assert.Empty(_processed);
        Assert.Empty(_app!.Services.GetRequiredService<WebChatMailbox>().GetAfter("demo-group", 0).Messages);
    }

    [Fact]
    public async Task PostMessage_EmptyTextNoButton_Returns400()
    {
        var detail = await AssertProblemAsync(await PostAsync(Post("  ")));

        Assert.Contains("消息内容为空", detail);
        Assert.Empty(_processed);
    }

    [Fact]
    public async Task PostMessage_BadConversationId_Returns400()
    {
        var detail = await AssertProblemAsync(await PostAsync(Post("@小灵通 帮助", conversationId: "../etc/passwd")));

        Assert.Contains("conversationId", detail);
        Assert.Empty(_processed);
    }

    [Fact]
    public async Task PostMessage_MalformedJson_Returns400()
    {
        var response = await _http.PostAsync("/api/local/messages", new StringContent("{\"text\": ", Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response);
        Assert.Empty(_processed);
    }

    [Fact]
    public async Task PostMessage_WrongFieldType_Returns400()
    {
        var response = await _http.PostAsync(
            "/api/local/messages",
            new StringContent("{\"conversationId\":\"demo-group\",\"userId\":\"zhang\",\"isGroup\":\"yes\",\"text\":\"hi\"}", Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response);
    }

    [Fact]
    public async Task PostMessage_NotJson_Returns400()
    {
        var response = await _http.PostAsync("/api/local/messages", new StringContent("text=hi", Encoding.UTF8, "application/x-www-form-urlencoded"));

        await AssertProblemAsync(response);
    }

    [Fact]
    public async Task PostMessage_OversizedBody_Returns400()
    {
        var response = await _http.PostAsync(
            "/api/local/messages",
            new StringContent(JsonSerializer.Serialize(Post(new string('x', WebChatEndpoints.MaxBodyBytes))), Encoding.UTF8, "application/json"));

        Assert.Contains("too large", await AssertProblemAsync(response));
    }

    [Fact]
    public async Task PostMessage_SameMessageIdTwice_KeptOnceInTheMailbox()
    {
        var body = new { conversationId = "demo-group", userId = "zhang", isGroup = true, text = "@小灵通 帮助", messageId = "web-42" };

        await PostAsync(body);
        await PostAsync(body);

        var messages = (await GetMessagesAsync("demo-group/messages?userId=zhang")).Messages;
        Assert.Single(messages, m => m.From == "user");
        Assert.All(_processed, inbound => Assert.Equal("web-42", inbound.Id));
    }

    [Fact]
    public async Task PostMessage_WithAnImageUrl_TheTurnGetsThePhotoAndThePageShowsIt()
    {
        var response = await PostAsync(new { conversationId = "private-zhang", userId = "zhang", isGroup = false, text = "", imageUrl = "https://files.example.org/a.jpg" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("https://files.example.org/a.jpg", Assert.Single(Assert.Single(_processed).Attachments).Url);
        var post = Assert.Single((await GetMessagesAsync("private-zhang/messages?userId=zhang")).Messages, m => m.From == "user");
        Assert.Equal(["https://files.example.org/a.jpg"], post.Images.Select(i => i.Url));
    }

    [Fact]
    public async Task PostMessage_ImageUrlThatIsNoWebAddress_Returns400AndRunsNoTurn()
    {
        var response = await PostAsync(new { conversationId = "private-zhang", userId = "zhang", isGroup = false, text = "看图", imageUrl = "javascript:alert(1)" });

        Assert.Contains("http(s)", await AssertProblemAsync(response), StringComparison.Ordinal);
        Assert.Empty(_processed);
    }

    [Fact]
    public async Task GetMessages_AfterATurn_ReturnsThePostAndTheReply()
    {
        await PostAsync(Post("@小灵通 物业电话多少"));

        var page = await GetMessagesAsync("demo-group/messages?after=0&userId=li");

        Assert.Equal(2, page.Watermark);
        Assert.Collection(
            page.Messages,
            user =>
            {
                Assert.Equal(("user", "zhang", "张阿姨"), (user.From, user.UserId, user.UserName));
                Assert.Equal("@小灵通 物业电话多少", user.Text);
            },
            bot =>
            {
                Assert.Equal(("bot", "local-bot", "小灵通"), (bot.From, bot.UserId, bot.UserName));
                Assert.Equal("收到：物业电话多少", bot.Text);
                Assert.Equal(new CardAction("物业电话", "faq:property-phone"), Assert.Single(bot.Buttons));
                Assert.Equal(_time.GetUtcNow(), bot.At);
            });
        Assert.Empty((await GetMessagesAsync("demo-group/messages?after=2")).Messages);
    }

    [Fact]
    public async Task GetMessages_ButtonPress_ShowsTheTitleAndSendsTheValue()
    {
        await PostAsync(Post("物业电话", buttonValue: "faq:property-phone"));

        var user = (await GetMessagesAsync("demo-group/messages")).Messages[0];
        Assert.Equal("物业电话", user.Text);
        Assert.Equal("faq:property-phone", Assert.Single(_processed).ButtonValue);
    }

    [Fact]
    public async Task GetMessages_LongPoll_ReturnsMessageTheClientDelivers()
    {
        var poll = _http.GetAsync("/api/local/conversations/demo-group/messages?after=0&wait=25&userId=wang");

        var client = _app!.Services.GetServices<IChannelClient>().Single(c => c.Handles("local"));
        await client.SendAsync(
            new ConversationReference { Channel = "local", ConversationId = "demo-group", IsGroup = true, BotName = "小灵通" },
            OutboundMessage.Plain("停水通知：明天 9:00–12:00 5 号楼停水"),
            CancellationToken.None);

        var response = await poll;
        var page = (await response.Content.ReadFromJsonAsync<WebChatEndpoints.MessagesResult>())!;
        var message = Assert.Single(page.Messages);
        Assert.Equal("停水通知：明天 9:00–12:00 5 号楼停水", message.Text);
        Assert.Equal(1, page.Watermark);
    }

    [Fact]
    public async Task GetMessages_LongPollWithNothingNew_ReturnsEmptyWhenTheWaitEnds()
    {
        var poll = _http.GetAsync("/api/local/conversations/demo-group/messages?after=0&wait=5");

        // Advance the fake clock only once the handler has armed its timeout, or the advance is lost.
        await _time.TimerCreated;
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(poll.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        var page = (await (await poll).Content.ReadFromJsonAsync<WebChatEndpoints.MessagesResult>())!;
        Assert.Empty(page.Messages);
        Assert.Equal(0, page.Watermark);
    }

    [Fact]
    public async Task GetMessages_ServerStopping_EndsTheLongPollAtOnce()
    {
        var poll = _http.GetAsync("/api/local/conversations/demo-group/messages?after=0&wait=25");

        _app!.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        var response = await poll;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty((await response.Content.ReadFromJsonAsync<WebChatEndpoints.MessagesResult>())!.Messages);
    }

    [Fact]
    public async Task GetMessages_PrivateMessage_OnlyForItsUser()
    {
        await PostAsync(Post("我的工单", conversationId: "private-zhang", isGroup: false));

        var asZhang = await GetMessagesAsync("private-zhang/messages?userId=zhang");
        var asLi = await GetMessagesAsync("private-zhang/messages?userId=li");
        var anonymous = await GetMessagesAsync("private-zhang/messages");

        Assert.Equal(2, asZhang.Messages.Count);
        Assert.Empty(asLi.Messages);
        Assert.Empty(anonymous.Messages);
        Assert.Equal(2, asLi.Watermark);
    }

    [Fact]
    public async Task GetMessages_WatermarkAheadOfMailbox_ReturnsEverythingWithLowerWatermark()
    {
        await PostAsync(Post("@小灵通 帮助"));

        var page = await GetMessagesAsync("demo-group/messages?after=40");

        Assert.Equal(2, page.Messages.Count);
        Assert.Equal(2, page.Watermark);
    }

    [Fact]
    public async Task GetMessages_WatermarkAheadOfEmptyMailbox_AnswersAtOnceWithZero()
    {
        // As after a server restart: the page must learn at once that it should start over, not wait.
        var page = await GetMessagesAsync("demo-group/messages?after=7&wait=25");

        Assert.Empty(page.Messages);
        Assert.Equal(0, page.Watermark);
    }

    [Theory]
    [InlineData("demo-group/messages?after=-1")]
    [InlineData("demo-group/messages?after=abc")]
    [InlineData("demo-group/messages?wait=1.5")]
    [InlineData("demo-group/messages?userId=a%20b")]
    [InlineData("demo%20group/messages")]
    public async Task GetMessages_BadQuery_Returns400(string query)
    {
        await AssertProblemAsync(await _http.GetAsync($"/api/local/conversations/{query}"));
    }

    [Fact]
    public async Task GetDemo_ReturnsTheGroupResidentsAndPrivateChats()
    {
        var demo = (await _http.GetFromJsonAsync<JsonElement>("/api/local/demo"))!;

        Assert.Equal("小灵通", demo.GetProperty("botName").GetString());
        Assert.Equal(
            ["zhang:张阿姨", "li:李先生", "wang:王大爷"],
            demo.GetProperty("residents").EnumerateArray().Select(r => $"{r.GetProperty("userId")}:{r.GetProperty("userName")}"));
        var conversations = demo.GetProperty("conversations").EnumerateArray().ToList();
        var group = Assert.Single(conversations, c => c.GetProperty("isGroup").GetBoolean());
        Assert.Equal("demo-group", group.GetProperty("id").GetString());
        Assert.Equal("幸福里小区业主群", group.GetProperty("name").GetString());
        Assert.Equal(
            ["private-zhang", "private-li", "private-wang"],
            conversations.Where(c => !c.GetProperty("isGroup").GetBoolean()).Select(c => c.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Root_ServesTheChatPageAndItsAssets()
    {
        var page = await _http.GetStringAsync("/");
        var script = await _http.GetAsync("/chat.js");
        var style = await _http.GetAsync("/chat.css");

        Assert.Contains("丰和街道社区助手 · 本地体验", page);
        Assert.Contains("<meta name=\"viewport\"", page);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal(HttpStatusCode.OK, style.StatusCode);
        // Message text reaches the DOM through textContent only (XSS).
        var js = await script.Content.ReadAsStringAsync();
        Assert.DoesNotContain(".innerHTML", js);
        Assert.DoesNotContain("insertAdjacentHTML", js);
    }

    [Fact]
    public async Task Disabled_MapsNoPageAndNoApi()
    {
        await StartAsync(new() { ["WebChat:Enabled"] = "false" });

        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/api/local/demo")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task BotName_FromConfiguration_UsedForMentionAndReplies()
    {
        await StartAsync(new() { ["WebChat:BotName"] = "小蜜蜂" });

        await PostAsync(Post("@小蜜蜂 楼下烧烤店太吵"));

        var inbound = Assert.Single(_processed);
        Assert.True(inbound.AddressedToBot);
        Assert.Equal("楼下烧烤店太吵", inbound.Text);
        Assert.Equal("小蜜蜂", (await _http.GetFromJsonAsync<JsonElement>("/api/local/demo")).GetProperty("botName").GetString());
    }

    /// <summary>A FakeTimeProvider that tells the test when code under test starts a timer.</summary>
    private sealed class TimerSignallingTimeProvider() : FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 1, 0, 0, TimeSpan.Zero))
    {
        private readonly TaskCompletionSource _timerCreated = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task TimerCreated => _timerCreated.Task;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            _timerCreated.TrySetResult();
            return timer;
        }
    }
}

/// <summary>A turn processor made of a function, for endpoint tests.</summary>
internal sealed class DelegateTurnProcessor(Func<CommunityBot.Dialogs.Conversation.InboundMessage, CancellationToken, Task<TurnOutcome>> process) : ITurnProcessor
{
    public Task<TurnOutcome> ProcessAsync(CommunityBot.Dialogs.Conversation.InboundMessage message, CancellationToken cancellationToken) =>
        process(message, cancellationToken);
}
