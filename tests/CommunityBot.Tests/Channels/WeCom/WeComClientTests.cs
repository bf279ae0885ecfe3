using System.Globalization;
using CommunityBot.Channels;
using CommunityBot.Channels.WeCom;
using CommunityBot.Dialogs.Conversation;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CommunityBot.Tests.Channels.WeCom;

public sealed class WeComClientTests : IDisposable
{
    private const string ResponseUrl = "https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=CODE1";

    private readonly FakeWeComHandler _wecom = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private readonly WeComOptions _options = new()
    {
        CorpId = "ww1436e0e65a779aee",
        AgentId = 1000002,
        Secret = "app-secret",
        ApiBaseUrl = "https://qyapi.example/cgi-bin/",
        WebhookKeys = { ["CHATID"] = "HOOKKEY" },
    };

    private readonly HttpClient _http;
    private readonly WeComAccessTokenCache _tokens;
    private readonly WeComSendLedger _ledger;

    public WeComClientTests()
    {
        _http = new HttpClient(_wecom);
        _tokens = new WeComAccessTokenCache(_time);
        _ledger = new WeComSendLedger(_time);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>A new client per call, sharing the singletons, as the typed-client registration does.</summary>
    private WeComClient Client() =>
        new(_http, Options.Create(_options), _tokens, _ledger, _time, NullLogger<WeComClient>.Instance);

    private ConversationReference Group(DateTimeOffset? expires = null) => new()
    {
        Channel = "wecom",
        ConversationId = "CHATID",
        IsGroup = true,
        UserId = "zhangsan",
        Properties = new Dictionary<string, string>
        {
            ["response_url"] = ResponseUrl,
            ["response_url_expires"] = (expires ?? _time.GetUtcNow().AddHours(1)).ToString("O", CultureInfo.InvariantCulture),
            ["chattype"] = "group",
            ["chatid"] = "CHATID",
        },
    };

    [Fact]
    public async Task SendAsync_FreshResponseUrl_PostsMarkdownToIt()
    {
        await Client().SendAsync(Group(), OutboundMessage.Plain("物业电话：0371-12345678"), CancellationToken.None);

        var call = Assert.Single(_wecom.Calls);
        Assert.Equal(ResponseUrl, call.Uri.ToString());
        Assert.Equal("markdown", call.Body!["msgtype"]!.GetValue<string>());
        Assert.Equal("物业电话：0371-12345678", call.Body["markdown"]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task SendAsync_ResponseUrlAlreadyUsed_FallsBackToGroupWebhook()
    {
        await Client().SendAsync(Group(), OutboundMessage.Plain("第一条"), CancellationToken.None);
        await Client().SendAsync(Group(), OutboundMessage.Plain("第二条"), CancellationToken.None);

        Assert.Single(_wecom.CallsTo("aibot/response"));
        var hook = Assert.Single(_wecom.CallsTo("webhook/send"));
        Assert.Equal("HOOKKEY", hook.Query("key"));
        Assert.Equal("第二条", hook.Body!["markdown"]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task SendAsync_ResponseUrlExpired_FallsBackToGroupWebhook()
    {
        var to = Group();
        _time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        await Client().SendAsync(to, OutboundMessage.Plain("晚到的回复"), CancellationToken.None);

        Assert.Empty(_wecom.CallsTo("aibot/response"));
        Assert.Single(_wecom.CallsTo("webhook/send"));
    }

    [Fact]
    public async Task SendAsync_ExpiredAndNoWebhookKey_RejectedForGoodWithClearError()
    {
        _options.WebhookKeys.Clear();
        var to = Group(_time.GetUtcNow().AddSeconds(-1));

        var error = await Assert.ThrowsAsync<ChannelDeliveryRejectedException>(() => Client().SendAsync(to, OutboundMessage.Plain("x"), CancellationToken.None));

        Assert.Contains("WeCom:WebhookKeys", error.Message, StringComparison.Ordinal);
        Assert.Empty(_wecom.Calls);
    }

    [Fact]
    public async Task SendAsync_SingleChatResponseUrlGone_SendsAppText()
    {
        var to = new ConversationReference { Channel = "wecom", ConversationId = "single:zhangsan", UserId = "zhangsan" };

        await Client().SendAsync(to, OutboundMessage.Plain("您好"), CancellationToken.None);

        var send = Assert.Single(_wecom.CallsTo("message/send"));
        Assert.Equal("zhangsan", send.Body!["touser"]!.GetValue<string>());
        Assert.Equal("text", send.Body["msgtype"]!.GetValue<string>());
        Assert.Equal("TOKEN-1", send.Query("access_token"));
    }

    [Fact]
    public async Task SendAsync_GroupWithAPhoto_ResponseUrlMarkdownLinksIt()
    {
        var message = OutboundMessage.Plain("已办结") with { Attachments = [new OutboundAttachment("image/jpeg", "https://files.example.org/a (1).jpg")] };

        await Client().SendAsync(Group(), message, CancellationToken.None);

        var call = Assert.Single(_wecom.Calls);
        Assert.Equal("已办结\n[查看照片](https://files.example.org/a%20%281%29.jpg)", call.Body!["markdown"]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task SendAsync_GroupRobotWithAPhoto_WebhookMarkdownLinksIt()
    {
        var message = OutboundMessage.Plain("已办结") with { Attachments = [new OutboundAttachment("image/jpeg", "https://files.example.org/a.jpg")] };

        await Client().SendAsync(Group(_time.GetUtcNow().AddSeconds(-1)), message, CancellationToken.None);

        var hook = Assert.Single(_wecom.CallsTo("webhook/send"));
        Assert.Equal("已办结\n[查看照片](https://files.example.org/a.jpg)", hook.Body!["markdown"]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task SendAsync_SingleChatWithAPhoto_SendsTheTextThenANewsMessageShowingIt()
    {
        var to = new ConversationReference { Channel = "wecom", ConversationId = "single:zhangsan", UserId = "zhangsan" };
        var message = OutboundMessage.Plain("已办结") with
        {
            Attachments = [new OutboundAttachment("image/jpeg", "https://files.example.org/a.jpg"), new OutboundAttachment("image", "javascript:alert(1)")],
        };

        await Client().SendAsync(to, message, CancellationToken.None);

        var sends = _wecom.CallsTo("message/send").ToList();
        Assert.Equal(["text", "news"], sends.Select(c => c.Body!["msgtype"]!.GetValue<string>()));
        Assert.Equal("已办结", sends[0].Body!["text"]!["content"]!.GetValue<string>()); // no markdown link in a plain text
        var article = Assert.Single(sends[1].Body!["news"]!["articles"]!.AsArray())!;
        Assert.Equal("https://files.example.org/a.jpg", article["picurl"]!.GetValue<string>());
        Assert.Equal("https://files.example.org/a.jpg", article["url"]!.GetValue<string>());
        Assert.Equal("zhangsan", sends[1].Body!["touser"]!.GetValue<string>());
    }

    [Fact]
    public async Task SendAsync_SeveralRepliesAtOnce_UseTheResponseUrlOnce()
    {
        await Client().SendAsync(Group(), [OutboundMessage.Plain("一"), OutboundMessage.Plain("二")], CancellationToken.None);

        var call = Assert.Single(_wecom.Calls);
        Assert.Equal("一\n\n二", call.Body!["markdown"]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task SendAppText_TokenCached_FetchesOnceUntilNearExpiry()
    {
        await Client().SendAppTextAsync("zhangsan", "一", CancellationToken.None);
        await Client().SendAppTextAsync("lisi", "二", CancellationToken.None);
        Assert.Single(_wecom.CallsTo("gettoken"));

        _time.Advance(TimeSpan.FromSeconds(7200) - _options.TokenRefreshMargin + TimeSpan.FromSeconds(1));
        await Client().SendAppTextAsync("zhangsan", "三", CancellationToken.None);

        Assert.Equal(2, _wecom.CallsTo("gettoken").Count);
        Assert.Equal("TOKEN-2", _wecom.CallsTo("message/send")[^1].Query("access_token"));
    }

    [Fact]
    public async Task SendAppText_TokenExpired42001_RefetchesOnceAndRetries()
    {
        _wecom.Answer("message/send", 42001);

        await Client().SendAppTextAsync("zhangsan", "您好", CancellationToken.None);

        Assert.Equal(2, _wecom.CallsTo("gettoken").Count);
        var sends = _wecom.CallsTo("message/send");
        Assert.Equal(["TOKEN-1", "TOKEN-2"], sends.Select(s => s.Query("access_token")));
    }

    [Fact]
    public async Task SendAppText_TokenRejectedTwice_ThrowsAfterOneRefetch()
    {
        _wecom.Answer("message/send", 40014, 40014);

        var error = await Assert.ThrowsAsync<WeComApiException>(() => Client().SendAppTextAsync("zhangsan", "您好", CancellationToken.None));

        Assert.Equal(40014, error.ErrorCode);
        Assert.Equal(2, _wecom.CallsTo("gettoken").Count);
        Assert.Equal(2, _wecom.CallsTo("message/send").Count);
    }

    [Fact]
    public async Task GetToken_ConcurrentCallers_ShareOneFetch()
    {
        var gate = new TaskCompletionSource();
        _wecom.GetTokenGate = gate.Task;

        var sends = Enumerable.Range(1, 5).Select(i => Client().SendAppTextAsync("worker" + i, "派单", CancellationToken.None)).ToList();
        gate.SetResult();
        await Task.WhenAll(sends);

        Assert.Single(_wecom.CallsTo("gettoken"));
        Assert.Equal(5, _wecom.CallsTo("message/send").Count);
    }

    [Fact]
    public async Task SendWebhook_Errcode45009_BacksOffWithoutCallingAgain()
    {
        _wecom.Answer("webhook/send", 45009);

        var first = await Assert.ThrowsAsync<ChannelRetryLaterException>(() => Client().SendWebhookMarkdownAsync("HOOKKEY", "一", CancellationToken.None));
        var second = await Assert.ThrowsAsync<ChannelRetryLaterException>(() => Client().SendWebhookMarkdownAsync("HOOKKEY", "一", CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(60), first.RetryAfter);
        Assert.True(second.RetryAfter > TimeSpan.Zero);
        Assert.Single(_wecom.CallsTo("webhook/send"));

        _time.Advance(TimeSpan.FromSeconds(61));
        await Client().SendWebhookMarkdownAsync("HOOKKEY", "一", CancellationToken.None);
        Assert.Equal(2, _wecom.CallsTo("webhook/send").Count);
    }

    [Fact]
    public async Task SendWebhook_TwentyFirstInAMinute_RetryLaterWithoutDropping()
    {
        for (var i = 0; i < 20; i++)
        {
            await Client().SendWebhookMarkdownAsync("HOOKKEY", "消息" + i, CancellationToken.None);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        var error = await Assert.ThrowsAsync<ChannelRetryLaterException>(() => Client().SendWebhookMarkdownAsync("HOOKKEY", "第21条", CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(40), error.RetryAfter);
        Assert.Contains("retry after", error.Message, StringComparison.Ordinal);
        Assert.Equal(20, _wecom.CallsTo("webhook/send").Count);

        _time.Advance(TimeSpan.FromSeconds(40));
        await Client().SendWebhookMarkdownAsync("HOOKKEY", "第21条", CancellationToken.None);
        Assert.Equal(21, _wecom.CallsTo("webhook/send").Count);
    }

    [Fact]
    public async Task SendAppText_ThirtyFirstToOneMemberInAMinute_RetryLater()
    {
        for (var i = 0; i < 30; i++)
        {
            await Client().SendAppTextAsync("zhangsan", "消息" + i, CancellationToken.None);
        }

        await Assert.ThrowsAsync<ChannelRetryLaterException>(() => Client().SendAppTextAsync("zhangsan", "第31条", CancellationToken.None));
        await Client().SendAppTextAsync("lisi", "别人不受影响", CancellationToken.None);

        Assert.Equal(31, _wecom.CallsTo("message/send").Count);
    }

    [Fact]
    public async Task SendTemplateCard_ButtonInteraction_CarriesTaskIdAndKeys()
    {
        var card = new WeComTemplateCard("T20261123-0001", "新工单：5号楼路灯不亮", "网格：东区3网格",
            [new CardAction("接单", "ticket:sign:T20261123-0001"), new CardAction("转派", "ticket:reassign:T20261123-0001")]);

        await Client().SendTemplateCardAsync("wangwu", card, CancellationToken.None);

        var body = Assert.Single(_wecom.CallsTo("message/send")).Body!;
        Assert.Equal("template_card", body["msgtype"]!.GetValue<string>());
        Assert.Equal(1000002, body["agentid"]!.GetValue<int>());
        var template = body["template_card"]!;
        Assert.Equal("button_interaction", template["card_type"]!.GetValue<string>());
        Assert.Equal("T20261123-0001", template["task_id"]!.GetValue<string>());
        Assert.Equal("ticket:sign:T20261123-0001", template["button_list"]![0]!["key"]!.GetValue<string>());
    }

    [Fact]
    public async Task SendAppText_AppNotConfigured_RejectedForGoodWithClearError()
    {
        _options.Secret = null;

        var error = await Assert.ThrowsAsync<ChannelDeliveryRejectedException>(() => Client().SendAppTextAsync("zhangsan", "x", CancellationToken.None));

        Assert.Contains("WeCom__Secret", error.Message, StringComparison.Ordinal);
        Assert.Empty(_wecom.Calls);
    }

    [Fact]
    public void Truncate_LongChinese_CutsAtCharacterWithinLimit()
    {
        var text = new string('物', 2000);

        var cut = WeComClient.Truncate(text, 2048);

        Assert.True(System.Text.Encoding.UTF8.GetByteCount(cut) <= 2048);
        Assert.EndsWith("…", cut, StringComparison.Ordinal);
    }
}
