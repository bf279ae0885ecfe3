using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CommunityBot.Channels.WeCom;
using CommunityBot.Media;
using CommunityBot.Tests.Channels.WeCom;
using CommunityBot.Tests.Harness;
using CommunityBot.Tickets;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityBot.Tests.Tickets;

/// <summary>
/// Through the real host and <c>/api/wecom</c>: a grievance in a WeCom group, answered callback by callback, becomes one
/// ticket; the grid worker gets an app text and a button_interaction card at a fake WeCom API, and the card's 签收
/// button, coming back as a template_card_event callback, signs the ticket. A photo sent with the report is fetched after
/// the ticket is written and reaches the worker as our own signed link.
/// </summary>
public sealed class TicketWeComHttpTests : IDisposable
{
    // Token and key of the official sample (protocols C.1), with the aibot receiveid "" (C.4).
    private const string Token = "QDG6eK";
    private const string Key = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    private const string ChatId = "wrkSFfCgAAxxxx";
    private const string Resident = "zhangsan";
    private const string WangFang = "wangfang"; // 王芳's WeCom userid in the demo directory
    private const string Ticket1 = "WT20261124-0001";

    private readonly FakeWeComHandler _wecom = new();
    private readonly BotApplication _app;
    private readonly HttpClient _client;
    private readonly WeComCrypto _crypto = new(Token, Key, "");
    private int _callbacks;

    public TicketWeComHttpTests()
    {
        _app = new BotApplication(new Dictionary<string, string?>
        {
            ["WeCom:Token"] = Token,
            ["WeCom:EncodingAESKey"] = Key,
            ["WeCom:BotName"] = "小灵通",
            ["WeCom:CorpId"] = "ww-test-corp",
            ["WeCom:AgentId"] = "1000002",
            ["WeCom:Secret"] = "test-app-secret",
        })
        {
            WeComHandler = _wecom,
        };
        _client = _app.CreateClient();
        _app.Time.Advance(TimeSpan.FromHours(14)); // Monday 20:00 → Tuesday 10:00 (+08:00): 王芳 is on duty
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task Grievance_WeComGroup_OneTicketAndTheWorkerGetsTextAndCard()
    {
        await FileLampComplaintAsync();

        var ticket = Assert.Single(_app.Services.GetRequiredService<TicketStore>().All());
        Assert.Equal(Ticket1, ticket.Number);
        Assert.Equal("w-wangfang", ticket.AssigneeId);
        Assert.Equal("wecom|" + Resident, ticket.ReporterKeys.Single());

        var sends = _wecom.CallsTo("message/send");
        Assert.Equal(2, sends.Count);
        Assert.All(sends, s =>
        {
            Assert.Equal(WangFang, s.Body!["touser"]!.GetValue<string>());
            Assert.Equal(1000002, s.Body["agentid"]!.GetValue<int>());
            Assert.Equal("TOKEN-1", s.Query("access_token"));
        });
        Assert.Equal("text", sends[0].Body!["msgtype"]!.GetValue<string>());
        var text = sends[0].Body!["text"]!["content"]!.GetValue<string>();
        Assert.Contains(Ticket1, text, StringComparison.Ordinal);
        Assert.Contains("幸福里小区3号楼", text, StringComparison.Ordinal);
        var card = sends[1].Body!["template_card"]!;
        Assert.Equal("template_card", sends[1].Body!["msgtype"]!.GetValue<string>());
        Assert.Equal("button_interaction", card["card_type"]!.GetValue<string>());
        Assert.Contains(Ticket1, card["main_title"]!["title"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(
            ["签收", "回复", "接管", "转派", "联动", "办结"],
            card["button_list"]!.AsArray().Select(b => b!["text"]!.GetValue<string>()));
        Assert.Single(_wecom.CallsTo("gettoken"));
        Assert.Equal(0, await _app.DeliverAsync());
    }

    [Fact]
    public async Task WorkerCard_SignEventFromTheAssignee_SignsTheTicketAndConfirms()
    {
        await FileLampComplaintAsync();
        var card = _wecom.CallsTo("message/send").Single(s => s.Body!["msgtype"]!.GetValue<string>() == "template_card").Body!["template_card"]!;
        var sign = card["button_list"]!.AsArray().Single(b => b!["text"]!.GetValue<string>() == "签收")!["key"]!.GetValue<string>();
        var taskId = card["task_id"]!.GetValue<string>();

        var response = await PostCallbackAsync(CardEvent(WangFang, sign, taskId, "RC-W1"));
        await _app.DeliverAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ticket = _app.Services.GetRequiredService<TicketStore>().Find(Ticket1)!;
        Assert.Equal(TicketStatus.InProgress, ticket.Status);
        Assert.Equal("w-wangfang", ticket.Events[^1].Actor);
        var confirmation = Assert.Single(_wecom.Calls, c => c.Uri.ToString() == ResponseUrl("RC-W1"));
        Assert.StartsWith("已签收工单 " + Ticket1, confirmation.Body!["markdown"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkerCard_SignEventFromAResident_RefusedAndTicketUnchanged()
    {
        await FileLampComplaintAsync();
        var card = _wecom.CallsTo("message/send").Single(s => s.Body!["msgtype"]!.GetValue<string>() == "template_card").Body!["template_card"]!;
        var sign = card["button_list"]!.AsArray().Single(b => b!["text"]!.GetValue<string>() == "签收")!["key"]!.GetValue<string>();

        await PostCallbackAsync(CardEvent(Resident, sign, card["task_id"]!.GetValue<string>(), "RC-R1"));
        await _app.DeliverAsync();

        Assert.Equal(TicketStatus.Pending, _app.Services.GetRequiredService<TicketStore>().Find(Ticket1)!.Status);
        var refusal = Assert.Single(_wecom.Calls, c => c.Uri.ToString() == ResponseUrl("RC-R1"));
        Assert.Equal("您无权处理这个工单。", refusal.Body!["markdown"]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Grievance_SubmitCallbackRedelivered_OneTicketAndOneCard()
    {
        await FileLampComplaintAsync(redeliverSubmit: true);

        Assert.Single(_app.Services.GetRequiredService<TicketStore>().All());
        Assert.Single(_wecom.CallsTo("message/send"), s => s.Body!["msgtype"]!.GetValue<string>() == "template_card");
    }

    [Fact]
    public async Task Grievance_WeComGroupWithAPhoto_WorkerGetsOurSignedLinkWithThePhotosBytesBehindIt()
    {
        const string Photo = "https://wework.example/image?id=LAMP";
        // The robot's download link serves the file encrypted with the callback key (protocols B.2.1).
        _app.Photos.Serve(Photo, WeComMediaCredentials.Encrypt(TestImages.Png, Convert.FromBase64String(Key + "=")), "application/octet-stream");

        Assert.StartsWith("请问是哪类问题？", await SayAsync("@小灵通 投诉幸福里3号楼楼道灯坏了"), StringComparison.Ordinal);
        Assert.StartsWith("有现场照片", await SayAsync("@小灵通 市政管养"), StringComparison.Ordinal);
        // In a group a picture reaches the robot only with an @mention, as 图文混排 (mixed).
        var summary = await SayAsync("@小灵通", image: Photo);
        Assert.Contains("照片：1张", summary, StringComparison.Ordinal);
        Assert.StartsWith("已登记，工单号 " + Ticket1, await SayAsync("@小灵通 提交"), StringComparison.Ordinal);

        var ticket = Assert.Single(_app.Services.GetRequiredService<TicketStore>().All());
        var media = _app.Services.GetRequiredService<MediaStore>();
        var item = media.Find(MediaRef.IdOf(Assert.Single(ticket.Photos))!)!;
        Assert.Equal((Photo, WeComMessageMapper.ChannelId, MediaStatus.Pending), (item.Source, item.Channel, item.Status));
        Assert.Empty(_app.Photos.Requests); // nothing fetched inside the resident's turn
        var before = _wecom.CallsTo("message/send").Count; // the worker's text and card

        Assert.Equal(1, await _app.FetchMediaAsync());

        // Fetched once, anonymously (the link carries its own authorisation), and kept decrypted.
        Assert.Equal((Photo, (string?)null), Assert.Single(_app.Photos.Requests) is var r ? (r.Url, r.Authorization) : default);
        Assert.Equal(("image/png", MediaStatus.Stored), (media.Find(item.Id)!.ContentType, media.Find(item.Id)!.Status));
        var sends = _wecom.CallsTo("message/send").Skip(before).ToList();
        Assert.Equal(2, sends.Count);
        Assert.All(sends, s => Assert.Equal(WangFang, s.Body!["touser"]!.GetValue<string>()));
        Assert.Equal($"工单 {Ticket1} 居民发来的现场照片（1张）：", sends[0].Body!["text"]!["content"]!.GetValue<string>());
        Assert.Equal("news", sends[1].Body!["msgtype"]!.GetValue<string>());
        var article = Assert.Single(sends[1].Body!["news"]!["articles"]!.AsArray())!;
        var link = article["picurl"]!.GetValue<string>();
        Assert.Equal(link, article["url"]!.GetValue<string>());
        Assert.True(PhotoLinks.IsOurs(link, BotApplication.PublicBaseUrl), link);

        var served = await _client.GetAsync(link[BotApplication.PublicBaseUrl.Length..]);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/png", served.Content.Headers.ContentType!.MediaType);
        Assert.Equal(TestImages.Png, await served.Content.ReadAsByteArrayAsync());

        // WeCom's download link went nowhere but to the fetch: not to the worker, not to the group.
        Assert.DoesNotContain(_wecom.Calls, c => c.Body?.ToJsonString().Contains("wework.example", StringComparison.Ordinal) == true);
        Assert.Equal(0, await _app.DeliverAsync());
    }

    /// <summary>"@小灵通 投诉幸福里3号楼楼道灯坏了", then the answers typed with an @mention, each its own callback.</summary>
    private async Task FileLampComplaintAsync(bool redeliverSubmit = false)
    {
        Assert.StartsWith("请问是哪类问题？", await SayAsync("@小灵通 投诉幸福里3号楼楼道灯坏了"), StringComparison.Ordinal);
        Assert.StartsWith("有现场照片", await SayAsync("@小灵通 市政管养"), StringComparison.Ordinal);
        Assert.Contains("位置：幸福里小区3号楼", await SayAsync("@小灵通 跳过"), StringComparison.Ordinal);
        var receipt = await SayAsync("@小灵通 提交", redeliver: redeliverSubmit);
        Assert.StartsWith("已登记，工单号 " + Ticket1, receipt, StringComparison.Ordinal);
        Assert.DoesNotContain(_wecom.CallsTo("message/send"), s => s.Body!["touser"]!.GetValue<string>() == Resident);
    }

    /// <summary>
    /// Posts a group text callback (with its own msgid and response_url), or a 图文混排 one when <paramref name="image"/> is
    /// given, delivers, and returns the markdown sent to that response_url.
    /// </summary>
    private async Task<string> SayAsync(string text, bool redeliver = false, string? image = null)
    {
        var n = Interlocked.Increment(ref _callbacks);
        var message = new JsonObject
        {
            ["msgid"] = "MSG-T-" + n,
            ["aibotid"] = "AIBOTID",
            ["chatid"] = ChatId,
            ["chattype"] = "group",
            ["from"] = new JsonObject { ["userid"] = Resident },
            ["response_url"] = ResponseUrl("RC" + n),
        };
        if (image is null)
        {
            message["msgtype"] = "text";
            message["text"] = new JsonObject { ["content"] = text };
        }
        else
        {
            message["msgtype"] = "mixed";
            message["mixed"] = new JsonObject
            {
                ["msg_item"] = new JsonArray(
                    new JsonObject { ["msgtype"] = "text", ["text"] = new JsonObject { ["content"] = text } },
                    new JsonObject { ["msgtype"] = "image", ["image"] = new JsonObject { ["url"] = image } }),
            };
        }

        var callback = message.ToJsonString();
        Assert.Equal(HttpStatusCode.OK, (await PostCallbackAsync(callback)).StatusCode);
        if (redeliver)
        {
            // WeCom re-sends a callback it considers unanswered, with the same msgid.
            Assert.Equal(HttpStatusCode.OK, (await PostCallbackAsync(callback)).StatusCode);
        }

        await _app.DeliverAsync();
        var reply = Assert.Single(_wecom.Calls, c => c.Uri.ToString() == ResponseUrl("RC" + n));
        return reply.Body!["markdown"]!["content"]!.GetValue<string>();
    }

    /// <summary>A template_card_event callback as the 智能机器人 callback carries it (payload wecom-event-template-card.json).</summary>
    private static string CardEvent(string userId, string eventKey, string taskId, string responseCode)
    {
        var callback = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", "wecom-event-template-card.json")))!;
        callback["msgid"] = "MSG-EVENT-" + responseCode;
        callback["from"] = new JsonObject { ["userid"] = userId };
        callback["response_url"] = ResponseUrl(responseCode);
        callback["event"]!["template_card_event"]!["event_key"] = eventKey;
        callback["event"]!["template_card_event"]!["task_id"] = taskId;
        return callback.ToJsonString();
    }

    private static string ResponseUrl(string code) => "https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=" + code;

    private Task<HttpResponseMessage> PostCallbackAsync(string plaintext)
    {
        var encrypt = _crypto.Encrypt(Encoding.UTF8.GetBytes(plaintext));
        var timestamp = _app.Time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        const string nonce = "1234567890";
        var signature = _crypto.Sign(timestamp, nonce, encrypt);
        return _client.PostAsync(
            $"/api/wecom?msg_signature={signature}&timestamp={timestamp}&nonce={nonce}",
            new StringContent(new JsonObject { ["encrypt"] = encrypt }.ToJsonString(), Encoding.UTF8, "application/json"));
    }
}
