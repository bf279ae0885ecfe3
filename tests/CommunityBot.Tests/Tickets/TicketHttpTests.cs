using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CommunityBot.Directory;
using CommunityBot.Tests.Harness;
using CommunityBot.Tickets;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityBot.Tests.Tickets;

/// <summary>
/// Through the real host and <c>/api/messages</c>: a grievance from a Teams group becomes one ticket, one receipt in the
/// group and one proactive Adaptive Card to the grid worker at the fake Connector, also when Teams re-delivers an
/// activity or the service restarts before the card is sent (or before the closing survey's proactive turn runs); the
/// worker signs from the card, a stranger cannot close.
/// </summary>
public sealed class TicketHttpTests : IDisposable
{
    private const string ServiceUrl = "https://smba.trafficmanager.net/apac/";
    private const string GroupId = "19:abc@thread.skype;messageid=1";
    private const string GroupActivities = ServiceUrl + "v3/conversations/19%3Aabc%40thread.skype%3Bmessageid%3D1/activities";
    private const string BotId = "28:c9e8c047-2a74-40a2-b28a-b162d5f5327c";
    private const string TenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private const string ResidentId = "29:1resident-wang";

    // The demo directory has no Teams identities: the tests give two grid workers of 丰和里社区 one each.
    private const string WangFangTeamsId = "29:1worker-wangfang";
    private const string ZhaoMinTeamsId = "29:1worker-zhaomin";

    // Tuesday 24 November 2026, 10:00 in Zhengzhou: 王芳 is on duty for 幸福里 buildings 1–6 (weekdays 08:30–17:30).
    private const string Ticket1 = "WT20261124-0001";

    private readonly string _databaseFile = Path.Combine(Path.GetTempPath(), "communitybot-tests", "tickets-" + Guid.NewGuid().ToString("N") + ".db");
    private BotApplication _app;
    private HttpClient _client;
    private int _activityIds;

    public TicketHttpTests()
    {
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(_databaseFile)!);
        (_app, _client) = Start();
        GiveWorkersTeamsIds(_app);
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
        foreach (var file in System.IO.Directory.GetFiles(Path.GetDirectoryName(_databaseFile)!, Path.GetFileNameWithoutExtension(_databaseFile) + "*"))
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Grievance_TeamsGroup_ResidentIsAskedForThePhoneInAOneToOneChat()
    {
        await FileLampComplaintAsync();

        var calls = _app.Connector.Calls;
        var create = Assert.Single(calls, c => c.Uri.AbsoluteUri == ServiceUrl + "v3/conversations"
            && c.Body!["members"]!.ToJsonString().Contains(ResidentId, StringComparison.Ordinal));
        var conversationId = "reply-" + (IndexOf(calls, create) + 1);
        var ask = Assert.Single(calls, c => c.Uri.AbsoluteUri == ServiceUrl + "v3/conversations/" + conversationId + "/activities");
        Assert.Contains("留个电话", ask.Text, StringComparison.Ordinal);
        // Nothing about a phone in the group.
        Assert.DoesNotContain(calls, c => c.Uri.AbsoluteUri.StartsWith(GroupActivities, StringComparison.Ordinal)
            && c.Text?.Contains("电话", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Grievance_TeamsGroup_OneTicketOneReceiptOneProactiveCard()
    {
        var number = await FileLampComplaintAsync();

        Assert.Equal(Ticket1, number);
        var ticket = Assert.Single(Tickets(_app).All());
        Assert.Equal("w-wangfang", ticket.AssigneeId);
        Assert.Equal("xingfuli", ticket.CompoundId);
        Assert.Equal("3", ticket.Building);
        Assert.Equal(TicketStatus.Pending, ticket.Status);
        Assert.Equal(ResidentId, ticket.Reporter.UserId);

        var receipt = Assert.Single(_app.Connector.Calls, c => c.Text?.StartsWith("已登记", StringComparison.Ordinal) == true);
        Assert.StartsWith(GroupActivities, receipt.Uri.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains(Ticket1, receipt.Text, StringComparison.Ordinal);
        Assert.Contains("王芳", receipt.Text, StringComparison.Ordinal);
        AssertOneProactiveCardToWangFang(_app, Ticket1);
    }

    [Fact]
    public async Task Grievance_SubmitActivityDeliveredTwice_StillOneTicketAndOneCard()
    {
        var number = await FileLampComplaintAsync(submitTwice: true);

        Assert.Equal(Ticket1, number);
        Assert.Single(Tickets(_app).All());
        Assert.Single(_app.Connector.Calls, c => c.Text?.StartsWith("已登记", StringComparison.Ordinal) == true);
        AssertOneProactiveCardToWangFang(_app, Ticket1);
        Assert.Equal(0, await _app.DeliverAsync());
    }

    [Fact]
    public async Task Grievance_SubmitActivityDeliveredTwiceConcurrently_StillOneTicketAndOneCard()
    {
        var number = await FileLampComplaintAsync(submitTwice: true, concurrently: true);

        Assert.Equal(Ticket1, number);
        Assert.Single(Tickets(_app).All());
        Assert.Single(_app.Connector.Calls, c => c.Text?.StartsWith("已登记", StringComparison.Ordinal) == true);
        AssertOneProactiveCardToWangFang(_app, Ticket1);
    }

    [Fact]
    public async Task Grievance_PhoneAndRoomSaidInTheGroup_NeverRepeatedInTheGroupButOnTheWorkersCard()
    {
        await SayAsync("投诉幸福里3号楼302室楼道灯坏了，电话13812345678");
        await PostAndDeliverAsync(GroupSubmit(ButtonValue(LastGroupReply(), "市政管养")));
        await SayAsync("跳过");
        await PostAndDeliverAsync(GroupSubmit(ButtonValue(LastGroupReply(), "提交")));

        var ticket = Assert.Single(Tickets(_app).All());
        Assert.Equal("13812345678", ticket.Reporter.Phone);
        Assert.Equal("302", ticket.Room);
        var group = _app.Connector.Calls.Where(c => c.Uri.AbsoluteUri.StartsWith(GroupActivities, StringComparison.Ordinal)).ToList();
        Assert.Equal(4, group.Count);
        Assert.All(group, c =>
        {
            var shown = c.Text + c.Body!["attachments"]?.ToJsonString();
            Assert.DoesNotContain("13812345678", shown, StringComparison.Ordinal);
            Assert.DoesNotContain("302", shown, StringComparison.Ordinal);
        });
        var (_, card) = AssertOneProactiveCardToWangFang(_app, ticket.Number);
        Assert.Contains("13812345678", card.Text, StringComparison.Ordinal);
        Assert.Contains("302室", card.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_BetweenTicketAndCard_NewHostSendsTheCardOnce()
    {
        await FileLampComplaintAsync(deliverAfterSubmit: false);
        Assert.Single(Tickets(_app).All());
        Assert.DoesNotContain(_app.Connector.Calls, c => c.Uri.AbsolutePath.EndsWith("/v3/conversations", StringComparison.Ordinal));

        // The service stops with the ticket and its card recorded but the card not yet sent; a new process starts
        // over the same database file.
        _client.Dispose();
        _app.Dispose();
        (_app, _client) = Start();

        var ticket = Assert.Single(Tickets(_app).All());
        Assert.Equal(Ticket1, ticket.Number);
        Assert.True(await _app.DeliverAsync() >= 1);
        Assert.Equal(0, await _app.DeliverAsync());
        AssertOneProactiveCardToWangFang(_app, Ticket1);
        Assert.Single(_app.Connector.Calls, c => c.Text?.StartsWith("已登记", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Restart_ProcessKilledBetweenTicketAndCard_FilesOnDiskSendTheCardOnce()
    {
        await FileLampComplaintAsync(deliverAfterSubmit: false);

        // A kill leaves only what was on disk when the turn was answered: copy the database files while the first host
        // is still running (no shutdown, no checkpoint) and start the new host over the copy.
        var copy = Path.Combine(Path.GetDirectoryName(_databaseFile)!, Path.GetFileNameWithoutExtension(_databaseFile) + "-killed.db");
        foreach (var file in System.IO.Directory.GetFiles(Path.GetDirectoryName(_databaseFile)!, Path.GetFileNameWithoutExtension(_databaseFile) + "*"))
        {
            File.Copy(file, file.Replace(Path.GetFileNameWithoutExtension(_databaseFile), Path.GetFileNameWithoutExtension(copy), StringComparison.Ordinal));
        }

        using var restarted = new BotApplication(databaseFile: copy);
        using var client = restarted.CreateClient();
        restarted.Time.Advance(TimeSpan.FromHours(14));

        Assert.Equal(Ticket1, Assert.Single(Tickets(restarted).All()).Number);
        Assert.True(await restarted.DeliverAsync() >= 1);
        Assert.Equal(0, await restarted.DeliverAsync());
        AssertOneProactiveCardToWangFang(restarted, Ticket1);
        // The first host sent only the three prompts: neither the receipt nor the card.
        Assert.Equal(3, _app.Connector.Calls.Count);
        Assert.DoesNotContain(_app.Connector.Calls, c => c.Uri.AbsoluteUri == ServiceUrl + "v3/conversations");
    }

    [Fact]
    public async Task WorkerCard_SignPressedByTheAssignee_TicketInProgressAndWorkerConfirmed()
    {
        await FileLampComplaintAsync();
        var (conversationId, card) = AssertOneProactiveCardToWangFang(_app, Ticket1);
        var calls = _app.Connector.Calls.Count;

        var response = await PostAsync(WorkerSubmit(WangFangTeamsId, "王芳", conversationId, ButtonValue(card, "签收")));
        await _app.DeliverAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ticket = Tickets(_app).Find(Ticket1)!;
        Assert.Equal(TicketStatus.InProgress, ticket.Status);
        Assert.Equal("处理中", TicketStatusRules.Chinese(ticket.Status));
        var confirmation = Assert.Single(_app.Connector.Calls.Skip(calls));
        Assert.StartsWith(ServiceUrl + "v3/conversations/" + Uri.EscapeDataString(conversationId) + "/activities", confirmation.Uri.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal(WangFangTeamsId, confirmation.Body!["recipient"]!["id"]!.GetValue<string>());
        Assert.StartsWith("已签收工单 " + Ticket1, confirmation.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkerCard_SignThenCloseWithNote_ResidentAskedInTheGroupAndTheirFeedbackClosesTheTicket()
    {
        await FileLampComplaintAsync();
        var (conversationId, card) = AssertOneProactiveCardToWangFang(_app, Ticket1);
        await PostAndDeliverAsync(WorkerSubmit(WangFangTeamsId, "王芳", conversationId, ButtonValue(card, "签收")));

        await PostAndDeliverAsync(WorkerSubmit(WangFangTeamsId, "王芳", conversationId, ButtonValue(card, "办结")));
        Assert.StartsWith("请填写办结说明", _app.Connector.Calls[^1].Text, StringComparison.Ordinal);
        var note = WorkerSubmit(WangFangTeamsId, "王芳", conversationId, "");
        note.AsObject().Remove("value");
        note["text"] = "已更换3号楼二层楼道灯泡";
        await PostAndDeliverAsync(note);
        Assert.StartsWith("要附一张办结现场照片吗", _app.Connector.Calls[^1].Text, StringComparison.Ordinal);
        await PostAndDeliverAsync(WorkerSubmit(WangFangTeamsId, "王芳", conversationId, ButtonValue(_app.Connector.Calls[^1], "跳过")));

        Assert.Equal(TicketStatus.Resolved, Tickets(_app).Find(Ticket1)!.Status);
        var calls = _app.Connector.Calls;
        Assert.StartsWith("工单 " + Ticket1 + " 已办结", calls.Last(c => c.Body?["recipient"]?["id"]?.GetValue<string>() == WangFangTeamsId).Text, StringComparison.Ordinal);
        var question = LastGroupReply();
        Assert.Equal(ResidentId, question.Body!["recipient"]!["id"]!.GetValue<string>());
        Assert.Contains("已更换3号楼二层楼道灯泡", question.Text, StringComparison.Ordinal);
        Assert.EndsWith("问题解决了吗？", question.Text, StringComparison.Ordinal);

        await PostAndDeliverAsync(GroupSubmit(ButtonValue(question, "已解决")));
        Assert.Equal("您对这次处理满意吗？", LastGroupReply().Text);
        await PostAndDeliverAsync(GroupSubmit(ButtonValue(LastGroupReply(), "满意")));

        Assert.Equal("谢谢您的反馈，工单已关闭。", LastGroupReply().Text);
        var ticket = Tickets(_app).Find(Ticket1)!;
        Assert.Equal(TicketStatus.Closed, ticket.Status);
        Assert.Equal(ticket.Status, TicketStatusRules.Replay(ticket.Events));
    }

    [Fact]
    public async Task Restart_BetweenCloseAndSurvey_NewHostAsksTheTeamsResidentOnce_AndTheirAnswerCounts()
    {
        await FileLampComplaintAsync();
        var (conversationId, card) = AssertOneProactiveCardToWangFang(_app, Ticket1);
        await PostAndDeliverAsync(WorkerSubmit(WangFangTeamsId, "王芳", conversationId, ButtonValue(card, "办结")));
        var note = WorkerSubmit(WangFangTeamsId, "王芳", conversationId, "");
        note.AsObject().Remove("value");
        note["text"] = "已更换3号楼二层楼道灯泡";
        await PostAndDeliverAsync(note);
        // The close is answered; its survey is only requested (the first host never runs it) when the service stops.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(WorkerSubmit(WangFangTeamsId, "王芳", conversationId, ButtonValue(_app.Connector.Calls[^1], "跳过")))).StatusCode);
        Assert.Equal(TicketStatus.Resolved, Tickets(_app).Find(Ticket1)!.Status);
        Assert.DoesNotContain(_app.Connector.Calls, c => c.Text?.EndsWith("问题解决了吗？", StringComparison.Ordinal) == true);

        _client.Dispose();
        _app.Dispose();
        (_app, _client) = Start();

        Assert.True(await _app.DeliverAsync() >= 2); // the worker's confirmation and the resident's question
        Assert.Equal(0, await _app.DeliverAsync());
        var question = Assert.Single(_app.Connector.Calls, c => c.Uri.AbsoluteUri.StartsWith(GroupActivities, StringComparison.Ordinal));
        Assert.Equal(ResidentId, question.Body!["recipient"]!["id"]!.GetValue<string>());
        Assert.Contains("已更换3号楼二层楼道灯泡", question.Text, StringComparison.Ordinal);
        Assert.EndsWith("问题解决了吗？", question.Text, StringComparison.Ordinal);

        await PostAndDeliverAsync(GroupSubmit(ButtonValue(question, "已解决")));
        Assert.Equal("您对这次处理满意吗？", LastGroupReply().Text);
        await PostAndDeliverAsync(GroupSubmit(ButtonValue(LastGroupReply(), "满意")));
        Assert.Equal("谢谢您的反馈，工单已关闭。", LastGroupReply().Text);
        Assert.Equal(TicketStatus.Closed, Tickets(_app).Find(Ticket1)!.Status);
    }

    [Fact]
    public async Task WorkerCard_CloseWithATeamsPhoto_TheGroupGetsItAsAMediaAttachmentOnOurLink()
    {
        _app.Photos.Serve("https://files.example.org/closing/lamp.png", TestImages.Png, "image/png");
        await FileLampComplaintAsync();
        var (conversationId, card) = AssertOneProactiveCardToWangFang(_app, Ticket1);
        await PostAndDeliverAsync(WorkerSubmit(WangFangTeamsId, "王芳", conversationId, ButtonValue(card, "办结")));

        // Teams sends a pasted picture as an attachment beside the text.
        var note = WorkerSubmit(WangFangTeamsId, "王芳", conversationId, "");
        note.AsObject().Remove("value");
        note["text"] = "灯泡已换";
        note["attachments"] = new JsonArray(new JsonObject
        {
            ["contentType"] = "image/png", ["contentUrl"] = "https://files.example.org/closing/lamp.png", ["name"] = "lamp.png",
        });
        await PostAndDeliverAsync(note);

        var ticket = Tickets(_app).Find(Ticket1)!;
        Assert.Equal(TicketStatus.Resolved, ticket.Status);
        Assert.StartsWith("media:", Assert.Single(ticket.ClosingPhotos), StringComparison.Ordinal);
        Assert.Empty(ticket.Photos);
        var question = LastGroupReply();
        Assert.Contains("灯泡已换", question.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(question.Body!["attachments"]!.AsArray(), a => a!["contentUrl"] is not null);

        // Fetched once after the 办结, the photo follows the question as a media attachment on our own signed link.
        await _app.FetchMediaAsync();
        var follow = LastGroupReply();
        Assert.Equal("工单 " + Ticket1 + " 的办结照片：", follow.Text);
        var photo = Assert.Single(follow.Body!["attachments"]!.AsArray())!;
        var link = photo["contentUrl"]!.GetValue<string>();
        Assert.True(PhotoLinks.IsOurs(link, BotApplication.PublicBaseUrl), link);
        Assert.Equal("image/png", photo["contentType"]!.GetValue<string>());
        Assert.Equal(TestImages.Png, await _client.GetByteArrayAsync(link[BotApplication.PublicBaseUrl.Length..]));
        Assert.DoesNotContain(_app.Connector.Calls, c => c.Body?.ToJsonString().Contains("files.example.org", StringComparison.Ordinal) == true);
    }

    [Theory]
    [InlineData(ZhaoMinTeamsId, "赵敏")] // a grid worker of another grid
    [InlineData("29:1stranger-li", "李先生")] // nobody in the directory
    public async Task WorkerCard_ClosePressedByAnotherUser_RefusedAndTicketUnchanged(string userId, string name)
    {
        await FileLampComplaintAsync();
        var (_, card) = AssertOneProactiveCardToWangFang(_app, Ticket1);
        var before = Tickets(_app).Find(Ticket1)!;
        var calls = _app.Connector.Calls.Count;

        await PostAsync(WorkerSubmit(userId, name, "a:1" + userId, ButtonValue(card, "办结")));
        await _app.DeliverAsync();

        var refusal = Assert.Single(_app.Connector.Calls.Skip(calls));
        Assert.Equal("您无权处理这个工单。", refusal.Text);
        Assert.Equal(userId, refusal.Body!["recipient"]!["id"]!.GetValue<string>());
        var after = Tickets(_app).Find(Ticket1)!;
        Assert.Equal(TicketStatus.Pending, after.Status);
        Assert.Equal(before.Events.Count, after.Events.Count);
        Assert.Equal(0, await _app.DeliverAsync());
    }

    /// <summary>
    /// "@小灵通 投诉幸福里3号楼楼道灯坏了" in the group, then the category and 提交 pressed on the cards as Teams sends
    /// Action.Submit, and "跳过" typed with an @mention; returns the ticket number from the group receipt.
    /// </summary>
    private async Task<string> FileLampComplaintAsync(bool submitTwice = false, bool deliverAfterSubmit = true, bool concurrently = false)
    {
        await SayAsync("投诉幸福里3号楼楼道灯坏了");
        var category = LastGroupReply();
        Assert.Equal("请问是哪类问题？", category.Text);

        await PostAndDeliverAsync(GroupSubmit(ButtonValue(category, "市政管养")));
        Assert.StartsWith("有现场照片", LastGroupReply().Text, StringComparison.Ordinal);

        await SayAsync("跳过");
        var confirm = LastGroupReply();
        Assert.Contains("位置：幸福里小区3号楼", confirm.Text, StringComparison.Ordinal);

        var submit = GroupSubmit(ButtonValue(confirm, "提交"));
        // Teams re-delivers an activity it got no timely answer for (same id, same payload), possibly while the
        // first delivery is still being processed.
        HttpResponseMessage[] responses = !submitTwice ? [await PostAsync(submit)]
            : concurrently ? await Task.WhenAll(PostAsync(submit), PostAsync(submit))
            : [await PostAsync(submit), await PostAsync(submit)];
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

        if (!deliverAfterSubmit)
        {
            return "";
        }

        await _app.DeliverAsync();
        var receipt = LastGroupReply();
        Assert.StartsWith("已登记，工单号 ", receipt.Text, StringComparison.Ordinal);
        return receipt.Text!["已登记，工单号 ".Length..].Split('。')[0];
    }

    /// <summary>
    /// Exactly one <c>POST v3/conversations</c> for 王芳 (bot, member, tenant), then exactly one activity with the
    /// ticket's Adaptive Card into the conversation the Connector returned; returns that id and the card call.
    /// </summary>
    private static (string ConversationId, ConnectorCall Card) AssertOneProactiveCardToWangFang(BotApplication app, string number)
    {
        var calls = app.Connector.Calls;
        // (The resident gets a 1:1 of their own, for the phone: see Grievance_TeamsGroup_ResidentIsAskedForThePhoneInAOneToOneChat.)
        var create = Assert.Single(calls, c => c.Uri.AbsoluteUri == ServiceUrl + "v3/conversations"
            && c.Body!["members"]!.ToJsonString().Contains(WangFangTeamsId, StringComparison.Ordinal));
        Assert.Equal(HttpMethod.Post, create.Method);
        Assert.False(create.Body!["isGroup"]!.GetValue<bool>());
        Assert.Equal(BotId, create.Body["bot"]!["id"]!.GetValue<string>());
        Assert.Equal(WangFangTeamsId, Assert.Single(create.Body["members"]!.AsArray())!["id"]!.GetValue<string>());
        Assert.Equal(TenantId, create.Body["tenantId"]!.GetValue<string>());
        Assert.Equal(TenantId, create.Body["channelData"]!["tenant"]!["id"]!.GetValue<string>());

        // FakeConnectorHandler answers each call with {"id": "reply-N"}, N counting calls: that is the new conversation's id.
        var conversationId = "reply-" + (IndexOf(calls, create) + 1);
        var cards = calls.Where(c => c.Uri.AbsolutePath.StartsWith("/apac/v3/conversations/" + conversationId + "/", StringComparison.Ordinal)).ToList();
        var card = Assert.Single(cards);
        Assert.True(IndexOf(calls, card) > IndexOf(calls, create));
        Assert.Equal(ServiceUrl + "v3/conversations/" + conversationId + "/activities", card.Uri.AbsoluteUri);
        Assert.Equal(WangFangTeamsId, card.Body!["recipient"]!["id"]!.GetValue<string>());
        var attachment = Assert.Single(card.Body["attachments"]!.AsArray())!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment["contentType"]!.GetValue<string>());
        Assert.Contains(number, attachment["content"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(
            ["签收", "回复", "接管", "转派", "联动", "退回", "办结"],
            attachment["content"]!["actions"]!.AsArray().Select(a => a!["title"]!.GetValue<string>()));
        // Only one card anywhere, and never one in the group (the resident's own 1:1 phone prompt, with its 跳过 button,
        // names the ticket too: it is addressed to them alone).
        Assert.Single(calls, c => c.Body?["attachments"]?.ToJsonString().Contains(number, StringComparison.Ordinal) == true
            && c.Body["recipient"]?["id"]?.GetValue<string>() != ResidentId);
        Assert.DoesNotContain(calls, c => c.Uri.AbsoluteUri.StartsWith(GroupActivities, StringComparison.Ordinal)
            && c.Body?["attachments"]?.ToJsonString().Contains(number, StringComparison.Ordinal) == true);
        return (conversationId, card);
    }

    private static int IndexOf(IReadOnlyList<ConnectorCall> calls, ConnectorCall call) =>
        calls.Select((c, i) => (c, i)).First(x => ReferenceEquals(x.c, call)).i;

    private (BotApplication, HttpClient) Start()
    {
        var app = new BotApplication(databaseFile: _databaseFile);
        var client = app.CreateClient();
        app.Time.Advance(TimeSpan.FromHours(14)); // Monday 20:00 → Tuesday 10:00 (+08:00)
        return (app, client);
    }

    /// <summary>Imports the demo directory again with Teams ids for 王芳 (the assignee) and 赵敏 (a worker of another grid).</summary>
    private static void GiveWorkersTeamsIds(BotApplication app)
    {
        var directory = app.Services.GetRequiredService<GridDirectory>();
        var data = directory.Current.Data;
        directory.Replace(data with
        {
            Workers = data.Workers.Select(w => w.Id switch
            {
                "w-wangfang" => w with { TeamsUserId = WangFangTeamsId },
                "w-zhaomin" => w with { TeamsUserId = ZhaoMinTeamsId },
                _ => w,
            }).ToList(),
        });
    }

    private static TicketStore Tickets(BotApplication app) => app.Services.GetRequiredService<TicketStore>();

    private ConnectorCall LastGroupReply() =>
        _app.Connector.Calls.Last(c => c.Uri.AbsoluteUri.StartsWith(GroupActivities, StringComparison.Ordinal));

    /// <summary>The value of the card button titled <paramref name="title"/> in a reply the bot sent.</summary>
    private static string ButtonValue(ConnectorCall reply, string title)
    {
        var actions = reply.Body!["attachments"]![0]!["content"]!["actions"]!.AsArray();
        return actions.Single(a => a!["title"]!.GetValue<string>() == title)!["data"]!["value"]!.GetValue<string>();
    }

    private async Task SayAsync(string text)
    {
        var activity = Payload("teams-group-mention.json");
        activity["id"] = NextId();
        activity["text"] = "<at>小灵通</at>&nbsp;" + text;
        await PostAndDeliverAsync(activity);
    }

    /// <summary>An Action.Submit pressed in the group chat: no text, no mention, the card's data in value (messageBack).</summary>
    private JsonNode GroupSubmit(string value)
    {
        var activity = Payload("teams-group-mention.json");
        activity["id"] = NextId();
        activity["text"] = "";
        activity["replyToId"] = "1712345678901";
        activity["entities"] = new JsonArray(new JsonObject { ["type"] = "clientInfo", ["locale"] = "zh-CN", ["platform"] = "Android" });
        activity["value"] = new JsonObject { ["action"] = "button", ["value"] = value };
        return activity;
    }

    /// <summary>An Action.Submit pressed on the ticket card in a 1:1 conversation with the bot (teams-card-submit.json).</summary>
    private JsonNode WorkerSubmit(string userId, string name, string conversationId, string value)
    {
        var activity = Payload("teams-card-submit.json");
        activity["id"] = NextId();
        activity["from"] = new JsonObject { ["id"] = userId, ["name"] = name };
        activity["conversation"] = new JsonObject { ["conversationType"] = "personal", ["tenantId"] = TenantId, ["id"] = conversationId };
        activity["value"] = new JsonObject { ["action"] = "button", ["value"] = value };
        return activity;
    }

    private string NextId() => "17123456790" + Interlocked.Increment(ref _activityIds).ToString("00", System.Globalization.CultureInfo.InvariantCulture);

    private async Task PostAndDeliverAsync(JsonNode activity)
    {
        var response = await PostAsync(activity);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await _app.DeliverAsync();
    }

    private Task<HttpResponseMessage> PostAsync(JsonNode activity) =>
        _client.PostAsync("/api/messages", new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"));

    private static JsonNode Payload(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", name)))!;
}
