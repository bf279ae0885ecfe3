using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CommunityBot.Channels.WeCom;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Notifications;
using CommunityBot.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CommunityBot.Tests.Channels.WeCom;

/// <summary>Through the real host: signed, encrypted 智能机器人 callbacks in, markdown replies out at a fake response_url.</summary>
public sealed class WeComHttpTests : IDisposable
{
    // Token and key of the official sample (protocols C.1), with the aibot receiveid "" (C.4).
    private const string Token = "QDG6eK";
    private const string Key = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    private const string ResponseUrl = "https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=RC1";

    private readonly FakeWeComHandler _wecom = new();
    private readonly BotApplication _app;
    private readonly HttpClient _client;
    private readonly WeComCrypto _crypto = new(Token, Key, "");

    public WeComHttpTests()
    {
        _app = new BotApplication(new Dictionary<string, string?>
        {
            ["WeCom:Token"] = Token,
            ["WeCom:EncodingAESKey"] = Key,
            ["WeCom:BotName"] = "小灵通",
        })
        {
            WeComHandler = _wecom,
        };
        _client = _app.CreateClient();
        _app.UseTestKnowledgeBase();
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    private static string GroupText(string msgId, string text) => new JsonObject
    {
        ["msgid"] = msgId,
        ["aibotid"] = "AIBOTID",
        ["chatid"] = "wrkSFfCgAAxxxx",
        ["chattype"] = "group",
        ["from"] = new JsonObject { ["userid"] = "zhangsan" },
        ["response_url"] = ResponseUrl,
        ["msgtype"] = "text",
        ["text"] = new JsonObject { ["content"] = text },
    }.ToJsonString();

    private Task<HttpResponseMessage> PostCallbackAsync(string plaintext, Func<string, string>? tamperSignature = null, long? timestamp = null, HttpClient? client = null)
    {
        var encrypt = _crypto.Encrypt(Encoding.UTF8.GetBytes(plaintext));
        return PostEncryptedAsync(encrypt, tamperSignature, timestamp, client: client);
    }

    /// <summary>Posts <c>{"encrypt": …}</c> signed with the fake clock's time (or <paramref name="timestamp"/>).</summary>
    private Task<HttpResponseMessage> PostEncryptedAsync(string encrypt, Func<string, string>? tamperSignature = null, long? timestamp = null, string? body = null, HttpClient? client = null)
    {
        var ts = (timestamp ?? _app.Time.GetUtcNow().ToUnixTimeSeconds()).ToString(System.Globalization.CultureInfo.InvariantCulture);
        const string nonce = "1234567890";
        var signature = _crypto.Sign(ts, nonce, encrypt);
        signature = tamperSignature?.Invoke(signature) ?? signature;
        body ??= new JsonObject { ["encrypt"] = encrypt }.ToJsonString();
        return (client ?? _client).PostAsync(
            $"/api/wecom?msg_signature={signature}&timestamp={ts}&nonce={nonce}",
            new StringContent(body, Encoding.UTF8, "application/json"));
    }

    [Fact]
    public async Task GroupText_SignedCallback_AnswersThroughResponseUrlInMarkdown()
    {
        var response = await PostCallbackAsync(GroupText("MSG-1", "@小灵通 物业电话多少"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await _app.DeliverAsync());
        var call = Assert.Single(_wecom.Calls);
        Assert.Equal(HttpMethod.Post, call.Method);
        Assert.Equal(ResponseUrl, call.Uri.ToString());
        Assert.Equal("markdown", call.Body!["msgtype"]!.GetValue<string>());
        Assert.Contains(DemoKnowledgeBase.PropertyPhoneAnswer, call.Body["markdown"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outbox_SeveralRepliesToOneResponseUrl_JoinedIntoOneCall()
    {
        var to = new ConversationReference
        {
            Channel = "wecom",
            ConversationId = "wrkSFfCgAAxxxx",
            IsGroup = true,
            UserId = "zhangsan",
            Properties = new Dictionary<string, string>
            {
                ["response_url"] = ResponseUrl,
                ["response_url_expires"] = _app.Time.GetUtcNow().AddHours(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            },
        };
        var outbox = _app.Services.GetRequiredService<Outbox>();
        await outbox.SendAsync(to, OutboundMessage.Plain("已记录您反映的问题。"), CancellationToken.None);
        await outbox.SendAsync(to, OutboundMessage.Plain("网格员会尽快联系您。"), CancellationToken.None);

        Assert.Equal(2, await _app.DeliverAsync());

        var call = Assert.Single(_wecom.Calls);
        Assert.Equal("已记录您反映的问题。\n\n网格员会尽快联系您。", call.Body!["markdown"]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task GroupRobotRateLimited_FarMoreTimesThanMaxAttempts_TheReplyIsKeptAndDelivered()
    {
        var wecom = new FakeWeComHandler();
        using var app = new BotApplication(new Dictionary<string, string?>
        {
            ["WeCom:Token"] = Token,
            ["WeCom:EncodingAESKey"] = Key,
            ["WeCom:WebhookKeys:wrkSFfCgAAxxxx"] = "HOOKKEY",
        })
        {
            WeComHandler = wecom,
        };
        using var client = app.CreateClient();
        app.UseTestKnowledgeBase();
        // The response_url is refused (used up), so the reply falls back to the group robot, which is rate-limited
        // (45009, then 45033) many more times than Outbox:MaxAttempts (8) before it takes the message.
        wecom.Answer("aibot/response", 600001);
        var limited = Enumerable.Range(0, 20).Select(i => i % 2 == 0 ? 45009 : 45033).ToArray();
        wecom.Answer("webhook/send", limited);
        await PostCallbackAsync(GroupText("MSG-RL", "@小灵通 物业电话多少"), client: client);

        var delivered = 0;
        for (var round = 0; round < 25 && delivered == 0; round++)
        {
            delivered = await app.DeliverAsync();
            var waiting = app.Services.GetRequiredService<Outbox>().All();
            if (delivered == 0)
            {
                var entry = Assert.Single(waiting);
                Assert.Equal(OutboxStatus.Pending, entry.Status);
                Assert.Equal(0, entry.Attempts); // a rate limit is the channel asking to wait, not a failure
            }

            app.Time.Advance(TimeSpan.FromSeconds(61)); // WeCom:RateLimitBackoff
        }

        Assert.Equal(1, delivered);
        var calls = wecom.CallsTo("webhook/send");
        Assert.Equal(21, calls.Count);
        Assert.Contains(DemoKnowledgeBase.PropertyPhoneAnswer, calls[^1].Body!["markdown"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(app.Services.GetRequiredService<Outbox>().All());
    }

    [Fact]
    public async Task GroupText_SameMsgIdRedelivered_ProcessedOnce()
    {
        var first = await PostCallbackAsync(GroupText("MSG-DUP", "@小灵通 物业电话多少"));
        var again = await PostCallbackAsync(GroupText("MSG-DUP", "@小灵通 物业电话多少"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(1, await _app.DeliverAsync());
        Assert.Single(_wecom.Calls);
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    public async Task Callback_TimestampOutsideReplayWindow_400AndNothingProcessed(int offsetSeconds)
    {
        var timestamp = _app.Time.GetUtcNow().AddSeconds(offsetSeconds).ToUnixTimeSeconds();

        var response = await PostCallbackAsync(GroupText("MSG-STALE", "@小灵通 物业电话多少"), timestamp: timestamp);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("replay window", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await _app.DeliverAsync());
        Assert.Empty(_wecom.Calls);
    }

    [Fact]
    public async Task Callback_ReplayedAfterDedupeForgotItsMsgId_Refused()
    {
        var sentAt = _app.Time.GetUtcNow().ToUnixTimeSeconds();
        var first = await PostCallbackAsync(GroupText("MSG-REPLAY", "@小灵通 物业电话多少"), timestamp: sentAt);
        Assert.Equal(1, await _app.DeliverAsync());

        // Three days on, the message id has left the dedupe log; the captured callback must still not run again.
        _app.Time.Advance(TimeSpan.FromDays(3));
        var processed = _app.Services.GetRequiredService<CommunityBot.Conversation.ProcessedMessageLog>();
        processed.DeleteOlderThan(_app.Time.GetUtcNow().AddDays(-2)); // what the hourly cleanup does
        Assert.False(processed.Contains(CommunityBot.Conversation.ProcessedMessageLog.KeyOf("wecom", "MSG-REPLAY")));
        var replay = await PostCallbackAsync(GroupText("MSG-REPLAY", "@小灵通 物业电话多少"), timestamp: sentAt);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal(0, await _app.DeliverAsync());
        Assert.Single(_wecom.Calls);
    }

    [Fact]
    public async Task Callback_TimestampInsideReplayWindow_Accepted()
    {
        var timestamp = _app.Time.GetUtcNow().AddSeconds(-290).ToUnixTimeSeconds();

        var response = await PostCallbackAsync(GroupText("MSG-FRESH", "@小灵通 物业电话多少"), timestamp: timestamp);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await _app.DeliverAsync());
        Assert.Single(_wecom.Calls);
    }

    [Fact]
    public async Task VerifyUrl_StaleTimestamp_400()
    {
        var timestamp = _app.Time.GetUtcNow().AddMinutes(-10).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var echo = _crypto.Encrypt("12345"u8);
        var signature = _crypto.Sign(timestamp, "2", echo);

        var response = await _client.GetAsync($"/api/wecom?msg_signature={signature}&timestamp={timestamp}&nonce=2&echostr={Uri.EscapeDataString(echo)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("12345", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Callback_TamperedSignature_401AndNothingProcessed()
    {
        var response = await PostCallbackAsync(
            GroupText("MSG-BAD", "@小灵通 物业电话多少"),
            signature => (signature[0] == '0' ? "1" : "0") + signature[1..]);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await _app.DeliverAsync());
        Assert.Empty(_wecom.Calls);
    }

    [Fact]
    public async Task Callback_OfficialAibotVectorC4_Accepted()
    {
        // protocols C.4: encrypt/msg_signature for timestamp 1700000000, nonce 1234567890 (response_url "RESPONSEURL").
        const string encrypt = "sKqRbbiSUnDhFHOvPjtUMcw0RmRNkLSpAwtrwZiMb9vVnpG3UVwnmBvcI4Hn9HXYXR+P8ZHkMy5J/emUWEvGEoYyLQ1sHR5gbyfkDv1sPJuwYvXryOyuAT2s0y64qmWqSCi+rxqA2c4Jpx9vFsl8xkSwf0JfF0huG2Z6s1AGgFS8S06CLbMIthQ4sKTzaoMOFv4p779b0bgcQh8N8z6Duig8JKjMdbiK06I3TKmPyBsUZOWKQVwVvY5jtDTkLGjve14QqajYP/JdK5l4W/YNtOoMkO1Kc1JL49K8AhBshNK7x2heD1BX/UO0FVbQDYVpjYlo1sJhKmtMpHlzEns7qA==";
        // The vector's clock, so its timestamp is inside the replay window.
        using var app = new BotApplication(new Dictionary<string, string?>
        {
            ["WeCom:Token"] = Token,
            ["WeCom:EncodingAESKey"] = Key,
        })
        {
            WeComHandler = _wecom,
            Time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1700000000)),
        };
        using var client = app.CreateClient();
        var response = await client.PostAsync(
            "/api/wecom?msg_signature=30f8cfa8911fc0d7090cb5af1d12a0e6f3577cc6&timestamp=1700000000&nonce=1234567890",
            new StringContent(new JsonObject { ["encrypt"] = encrypt }.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"encrypt\": 42}")]
    [InlineData("{\"encrypt\": \"not-base64!!\"}")]
    public async Task Callback_BadBody_400AndNothingProcessed(string body)
    {
        var encrypt = JsonNode.Parse(body.StartsWith('{') ? body : "{}")?["encrypt"]?.ToString() ?? "";
        var signature = _crypto.Sign("1700000000", "1", encrypt);

        var response = await _client.PostAsync(
            $"/api/wecom?msg_signature={signature}&timestamp=1700000000&nonce=1",
            new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await _app.DeliverAsync());
    }

    [Fact]
    public async Task Callback_BodyOverLimit_400()
    {
        var body = new JsonObject { ["encrypt"] = new string('A', 70 * 1024) }.ToJsonString();

        var response = await _client.PostAsync(
            "/api/wecom?msg_signature=00&timestamp=1700000000&nonce=1",
            new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task VerifyUrl_OfficialVectorC1_EchoesPlaintextExactly()
    {
        // protocols C.1 (official sample): receiveid is the CorpID there, so this host is configured with it.
        using var app = new BotApplication(new Dictionary<string, string?>
        {
            ["WeCom:Token"] = Token,
            ["WeCom:EncodingAESKey"] = Key,
            ["WeCom:ReceiveId"] = "wx5823bf96d3bd56c7",
        })
        {
            Time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1409659589 + 60)),
        };
        using var client = app.CreateClient();
        var echo = Uri.EscapeDataString("P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==");

        var response = await client.GetAsync(
            $"/api/wecom?msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780&echostr={echo}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Encoding.ASCII.GetBytes("1616140317555161061"), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task VerifyUrl_WrongSignature_401()
    {
        var echo = Uri.EscapeDataString(_crypto.Encrypt("12345"u8));

        var response = await _client.GetAsync($"/api/wecom?msg_signature=0000&timestamp=1&nonce=2&echostr={echo}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task VerifyUrl_MissingEchostr_400()
    {
        var response = await _client.GetAsync("/api/wecom?msg_signature=00&timestamp=1&nonce=2");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Endpoint_NotConfigured_503ProblemAndAppStillRuns()
    {
        using var app = new BotApplication();
        using var client = app.CreateClient();

        var get = await client.GetAsync("/api/wecom?msg_signature=a&timestamp=1&nonce=2&echostr=x");
        var post = await client.PostAsync("/api/wecom?msg_signature=a&timestamp=1&nonce=2", new StringContent("{}"));
        var health = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, get.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, post.StatusCode);
        Assert.Contains("WeCom__Token", await get.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public void Startup_BadEncodingAesKey_FailsWithClearMessage()
    {
        using var app = new BotApplication(new Dictionary<string, string?>
        {
            ["WeCom:Token"] = Token,
            ["WeCom:EncodingAESKey"] = "too-short",
        });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("43 characters", error.ToString(), StringComparison.Ordinal);
    }
}
