using System.Net;
using System.Net.Http.Json;
using CommunityBot.Admin;
using CommunityBot.Channels.WebChat;
using CommunityBot.Clocks;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Grievance;
using CommunityBot.Tests.Harness;
using CommunityBot.Tickets;
using Microsoft.Extensions.DependencyInjection;
using static CommunityBot.Tests.Admin.AdminTestKit;

namespace CommunityBot.Tests.Admin;

/// <summary>The console's ticket list (level filter, paging), detail (timeline, photos) and every card action from the console.</summary>
public sealed class TicketConsoleHttpTests : IDisposable
{
    private const string LiQiang = "liqiang";

    private readonly BotApplication _app = new(new() { ["Admin:PageSize"] = "10" });
    private readonly HttpClient _client;

    public TicketConsoleHttpTests()
    {
        _client = Client(_app);
        CreateAccounts(_app);
        _app.Services.GetRequiredService<AdminUserStore>().Save(
            new AdminUser { Name = LiQiang, Role = AdminRole.Worker, WorkerId = "w-liqiang", CommunityId = "FH-01" }, Password);
        MoveToOfficeHours(_app);
    }

    private TicketStore Store => _app.Services.GetRequiredService<TicketStore>();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task TicketList_LevelFilter_FollowsTheEscalationRung()
    {
        var number = await FileTicketAsync(_app);
        await LoginAsync(_client, Boss);
        Assert.Contains(number, await _client.GetStringAsync("/admin/tickets?level=Grid"));

        // Nobody signs within the 30-minute signing clock: the ladder tells the community.
        _app.Time.Advance(TimeSpan.FromMinutes(31));
        await _app.Services.GetRequiredService<TicketDesk>().SweepEscalationsAsync(_app.Time.GetUtcNow(), CancellationToken.None);
        Assert.Equal(TicketLevel.Community, Store.Find(number)!.EscalatedTo);

        Assert.DoesNotContain(number, await _client.GetStringAsync("/admin/tickets?level=Grid"));
        var community = await _client.GetStringAsync("/admin/tickets?level=Community");
        Assert.Contains(number, community);
        Assert.Contains("社区（已升级）", community);
        Assert.DoesNotContain(number, await _client.GetStringAsync("/admin/tickets?level=Street"));
    }

    [Fact]
    public async Task TicketList_MoreThanAPage_PagesNewestFirstKeepingTheFilters()
    {
        var numbers = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            numbers.Add(await FileTicketAsync(_app, building: (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            _app.Time.Advance(TimeSpan.FromMinutes(1));
        }

        await LoginAsync(_client, Boss);

        var first = await _client.GetStringAsync("/admin/tickets?status=Pending");
        Assert.Contains(numbers[11], first);
        Assert.Contains(numbers[2], first);
        Assert.DoesNotContain(numbers[1], first);
        Assert.Contains("page=2", first);
        Assert.Contains("status=Pending&amp;page=2", first);
        var second = await _client.GetStringAsync("/admin/tickets?status=Pending&page=2");
        Assert.Contains(numbers[1], second);
        Assert.Contains(numbers[0], second);
        Assert.DoesNotContain(numbers[2], second);
        Assert.DoesNotContain("rel=\"next\"", second);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("abc")]
    [InlineData("100000")]
    public async Task TicketList_BadPage_Returns400WithMessage(string page)
    {
        await LoginAsync(_client, Boss);

        var response = await _client.GetAsync("/admin/tickets?page=" + page);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("页码", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TicketDetail_Timeline_ShowsRemindersEscalationsAndPhotos()
    {
        _app.Photos.Serve("https://files.example.cn/p/1.jpg", TestImages.Png, "image/png");
        var number = await FileTicketAsync(_app, photo: "https://files.example.cn/p/1.jpg");
        var desk = _app.Services.GetRequiredService<TicketDesk>();
        _app.Time.Advance(TimeSpan.FromMinutes(25)); // 80 % of the signing clock: 催办
        await desk.SweepEscalationsAsync(_app.Time.GetUtcNow(), CancellationToken.None);
        _app.Time.Advance(TimeSpan.FromMinutes(6)); // past it: escalated to the community
        await desk.SweepEscalationsAsync(_app.Time.GetUtcNow(), CancellationToken.None);
        await LoginAsync(_client, Boss);

        var page = await _client.GetStringAsync("/admin/tickets/" + number);

        Assert.Contains("<li class=\"reminded\">", page);
        Assert.Contains("签收时限", page);
        Assert.Contains("<li class=\"escalated\">", page);
        Assert.Contains("签收超时，升级至郑伟", page);
        Assert.Contains("已升级至社区", page);
        Assert.Contains("现场照片1正在保存", page); // not fetched yet: no raw address meanwhile
        Assert.DoesNotContain("files.example.cn", page);

        await _app.FetchMediaAsync();
        page = await _client.GetStringAsync("/admin/tickets/" + number);

        // The resident's photo through our own signed link, whose bytes are the photo's.
        var link = Assert.Single(PhotoLinks.ImagesOn(page));
        Assert.DoesNotContain("files.example.cn", page);
        using var anonymous = _app.CreateClient();
        Assert.Equal(TestImages.Png, await anonymous.GetByteArrayAsync(link));
    }

    [Fact]
    public async Task TicketAct_Transfer_GoesToTheChosenWorkerWithTheReason()
    {
        var number = await FileTicketAsync(_app);
        await LoginAsync(_client, WangFang);
        var page = "/admin/tickets/" + number;

        var none = await PostFormAsync(_client, page, page + "/act", new() { ["action"] = "Transfer", ["note"] = "5号楼归二网格", ["worker"] = "" });
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Contains("请选择接手人", await none.Content.ReadAsStringAsync());

        var moved = await PostFormAsync(_client, page, page + "/act", new() { ["action"] = "Transfer", ["note"] = "5号楼归二网格", ["worker"] = "w-liqiang" });

        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        var ticket = Store.Find(number)!;
        Assert.Equal("w-liqiang", ticket.AssigneeId);
        Assert.Equal(TicketStatus.Pending, ticket.Status);
        Assert.Contains(ticket.Events, e => e.Kind == TicketEventKind.Transferred && e.Actor == "w-wangfang" && e.Note == "转派给李强：5号楼归二网格");
    }

    [Fact]
    public async Task TicketAct_CoHandle_AddsTheChosenWorker()
    {
        var number = await FileTicketAsync(_app);
        await LoginAsync(_client, Boss);
        var page = "/admin/tickets/" + number;

        var added = await PostFormAsync(_client, page, page + "/act", new() { ["action"] = "CoHandle", ["note"] = "请协助核实营业执照", ["worker"] = "w-sunli" });

        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var ticket = Store.Find(number)!;
        Assert.Equal(["w-sunli"], ticket.CoHandlers);
        Assert.Contains(ticket.Events, e => e.Kind == TicketEventKind.CoHandlerAdded && e.Note == "联动孙丽：请协助核实营业执照");
    }

    [Fact]
    public async Task TicketAct_Return_GoesToTheCommunityAndRestartsTheSignClock()
    {
        var number = await FileTicketAsync(_app);
        _app.Time.Advance(TimeSpan.FromMinutes(20));
        await LoginAsync(_client, WangFang);
        var page = "/admin/tickets/" + number;

        var returned = await PostFormAsync(_client, page, page + "/act", new() { ["action"] = "Return", ["note"] = "商户经营问题不属于网格职责" });

        Assert.Equal(HttpStatusCode.Redirect, returned.StatusCode);
        var ticket = Store.Find(number)!;
        Assert.Equal(TicketStatus.Returned, ticket.Status);
        Assert.Equal("w-zhengwei", ticket.AssigneeId);
        var due = _app.Time.GetUtcNow().UtcDateTime + TimeSpan.FromMinutes(30);
        Assert.Equal(due, ticket.SignBy.ToUniversalTime());
        var timer = _app.Services.GetRequiredService<TicketTimerStore>().Find(number)!;
        Assert.Equal(due, timer.Find(ClockKind.Sign)!.DueAt.ToUniversalTime());
    }

    [Fact]
    public async Task TicketAct_TakeOver_SendsTheMessageToTheResidentsConversation()
    {
        var number = await FileTicketAsync(_app);
        await LoginAsync(_client, Boss);
        var page = "/admin/tickets/" + number;

        var sent = await PostFormAsync(_client, page, page + "/act", new() { ["action"] = "TakeOver", ["note"] = "您好，我是街道的马骏，今晚去现场看看" });
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        var again = await PostFormAsync(_client, page, page + "/act", new() { ["action"] = "TakeOver", ["note"] = "已到现场" });
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        await _app.DeliverAsync();

        var messages = await _client.GetFromJsonAsync<WebChatEndpoints.MessagesResult>("/api/local/conversations/demo-group/messages?userId=zhang");
        var texts = messages!.Messages.Where(m => m.From == "bot").Select(m => m.Text).ToList();
        Assert.Contains(texts, t => t.Contains("网格员马骏已接入", StringComparison.Ordinal));
        Assert.Contains("网格员马骏：您好，我是街道的马骏，今晚去现场看看", texts);
        Assert.Contains("网格员马骏：已到现场", texts);
        Assert.Single(Store.Find(number)!.Events, e => e.Kind == TicketEventKind.TakenOver);
        Assert.Contains("结束接管", await _client.GetStringAsync(page));

        var ended = await PostFormAsync(_client, page, page + "/act", new() { ["action"] = "EndTakeOver", ["note"] = "" });
        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        Assert.Empty(_app.Services.GetRequiredService<HandoffStore>().ForTicket(number));
    }

    [Fact]
    public async Task TicketAct_TakeOver_EachMessageBothWaysIsOnTheTimelineUntilEnded()
    {
        var number = await FileTicketAsync(_app);
        await LoginAsync(_client, Boss);
        var page = "/admin/tickets/" + number;
        // Outside a take-over the resident's message is the assistant's business, not the ticket's.
        await ResidentSaysAsync("@小灵通 物业电话多少");

        await PostFormAsync(_client, page, page + "/act", new() { ["action"] = "TakeOver", ["note"] = "您好，我是街道的马骏，今晚去现场看看" });
        _app.Time.Advance(TimeSpan.FromMinutes(2));
        await ResidentSaysAsync("好的，我家是5号楼2单元");
        _app.Time.Advance(TimeSpan.FromMinutes(1));
        await PostFormAsync(_client, page, page + "/act", new() { ["action"] = "TakeOver", ["note"] = "<b>收到</b>，七点到" });
        await PostFormAsync(_client, page, page + "/act", new() { ["action"] = "EndTakeOver", ["note"] = "" });
        await ResidentSaysAsync("@小灵通 物业电话多少");

        var ticket = Store.Find(number)!;
        var relayed = ticket.Events.Where(e => e.Kind is TicketEventKind.RelayedToResident or TicketEventKind.RelayedFromResident).ToList();
        Assert.Equal(
            [
                (TicketEventKind.RelayedToResident, "w-majun", "您好，我是街道的马骏，今晚去现场看看"),
                (TicketEventKind.RelayedFromResident, "resident:" + ticket.Reporter.Key, "好的，我家是5号楼2单元"),
                (TicketEventKind.RelayedToResident, "w-majun", "<b>收到</b>，七点到"),
            ],
            relayed.Select(e => (e.Kind, e.Actor, e.Note)).ToList());
        Assert.Equal(_app.Time.GetUtcNow().UtcDateTime, relayed[2].At);
        Assert.Equal(relayed[2].At - TimeSpan.FromMinutes(1), relayed[1].At);
        var handedBack = ticket.Events.FindIndex(e => e.Kind == TicketEventKind.HandedBack);
        Assert.True(handedBack > ticket.Events.IndexOf(relayed[2]), "结束接管 comes after the last relayed message");
        Assert.DoesNotContain(ticket.Events.Skip(handedBack), e => e.Kind is TicketEventKind.RelayedToResident or TicketEventKind.RelayedFromResident);

        // The console's detail shows who, when and the text, in order, escaped.
        var timeline = await _client.GetStringAsync(page);
        timeline = timeline[timeline.IndexOf("id=\"timeline\"", StringComparison.Ordinal)..];
        var first = timeline.IndexOf("接管中发给居民 · 马骏<div>您好，我是街道的马骏，今晚去现场看看</div>", StringComparison.Ordinal);
        var answer = timeline.IndexOf("接管中居民回复 · 居民张阿姨<div>好的，我家是5号楼2单元</div>", StringComparison.Ordinal);
        var second = timeline.IndexOf("接管中发给居民 · 马骏<div>&lt;b&gt;收到&lt;/b&gt;，七点到</div>", StringComparison.Ordinal);
        Assert.True(first >= 0 && answer > first && second > answer, timeline);
    }

    [Fact]
    public async Task TicketAct_ConsoleTakeOver_TheWorkerAnswersFromTheirPrivateChat()
    {
        var number = await FileTicketAsync(_app);
        await LoginAsync(_client, Boss); // linked to 马骏, whose local-chat id is worker-majun
        var page = "/admin/tickets/" + number;
        await PostFormAsync(_client, page, page + "/act", new() { ["action"] = "TakeOver", ["note"] = "您好，我是街道的马骏" });
        await ResidentSaysAsync("好的，我家是5号楼2单元");

        var privateChat = await BotTextsAsync(WebChatDemo.PrivateConversationId("worker-majun"), "worker-majun");
        Assert.Contains(privateChat, t => t.StartsWith("您在管理台接管了居民张阿姨的对话", StringComparison.Ordinal));
        Assert.Contains($"居民张阿姨（工单 {number}）：好的，我家是5号楼2单元", privateChat);

        await WorkerSaysPrivatelyAsync("收到，我七点到");
        Assert.Contains("网格员马骏：收到，我七点到", await BotTextsAsync("demo-group", "zhang"));
        Assert.Contains(Store.Find(number)!.Events, e => e.Kind == TicketEventKind.RelayedToResident && e.Note == "收到，我七点到");

        await WorkerSaysPrivatelyAsync("结束接管");
        Assert.Empty(_app.Services.GetRequiredService<HandoffStore>().ForTicket(number));
    }

    private async Task WorkerSaysPrivatelyAsync(string text)
    {
        var posted = await _client.PostAsJsonAsync("/api/local/messages", new
        {
            conversationId = WebChatDemo.PrivateConversationId("worker-majun"), userId = "worker-majun", userName = "马骏", isGroup = false, text,
        });
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        await _app.DeliverAsync();
    }

    private async Task<List<string>> BotTextsAsync(string conversationId, string userId)
    {
        var messages = await _client.GetFromJsonAsync<WebChatEndpoints.MessagesResult>($"/api/local/conversations/{conversationId}/messages?userId={userId}");
        return messages!.Messages.Where(m => m.From == "bot").Select(m => m.Text).ToList();
    }

    /// <summary>The reporter 张阿姨 writes in the demo group of the local chat.</summary>
    private async Task ResidentSaysAsync(string text)
    {
        var posted = await _client.PostAsJsonAsync("/api/local/messages", new { conversationId = "demo-group", userId = "zhang", userName = "张阿姨", isGroup = true, text });
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        await _app.DeliverAsync();
    }

    [Fact]
    public async Task TicketAct_TakeOverWithoutMessage_Returns400AndTakesNothingOver()
    {
        var number = await FileTicketAsync(_app);
        await LoginAsync(_client, Boss);
        var page = "/admin/tickets/" + number;

        var response = await PostFormAsync(_client, page, page + "/act", new() { ["action"] = "TakeOver", ["note"] = "" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("请填写要发给居民的话", await response.Content.ReadAsStringAsync());
        Assert.Empty(_app.Services.GetRequiredService<HandoffStore>().ForTicket(number));
    }

    [Fact]
    public async Task TicketAct_WorkerOfAnotherGrid_Returns404AndChangesNothing()
    {
        var number = await FileTicketAsync(_app);
        await LoginAsync(_client, LiQiang);

        var response = await PostFormAsync(_client, "/admin/tickets", $"/admin/tickets/{number}/act", new() { ["action"] = "Close", ["note"] = "已处理" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(TicketStatus.Pending, Store.Find(number)!.Status);
    }

    [Fact]
    public async Task TicketAct_CommunityStaffOnATicketAtTheirOwnLevel_DeskRefusesWith409()
    {
        // 王芳 asks 孙丽 (柳岸) to help, then returns the ticket to her community's 郑伟: 柳岸's 冯霞 can see it (one of
        // her people co-handles it) but, at the same level as the ticket and not handling it, may not act on it.
        var number = await FileTicketAsync(_app);
        await LoginAsync(_client, WangFang);
        var page = "/admin/tickets/" + number;
        await PostFormAsync(_client, page, page + "/act", new() { ["action"] = "CoHandle", ["note"] = "请协助", ["worker"] = "w-sunli" });
        await PostFormAsync(_client, page, page + "/act", new() { ["action"] = "Return", ["note"] = "不属于网格职责" });
        Assert.Equal(TicketLevel.Community, Store.Find(number)!.Level);

        using var liuAn = Client(_app);
        await LoginAsync(liuAn, LiuAn);
        var response = await PostFormAsync(liuAn, page, page + "/act", new() { ["action"] = "Sign", ["note"] = "" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("您无权处理这个工单", await response.Content.ReadAsStringAsync());
        Assert.Equal(TicketStatus.Returned, Store.Find(number)!.Status);
    }

    [Fact]
    public async Task TicketAct_WithoutAntiforgeryToken_Returns400AndChangesNothing()
    {
        var number = await FileTicketAsync(_app);
        await LoginAsync(_client, Boss);

        var response = await _client.PostAsync($"/admin/tickets/{number}/act", new FormUrlEncodedContent(new Dictionary<string, string> { ["action"] = "Sign" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(TicketStatus.Pending, Store.Find(number)!.Status);
    }

    private async Task<string> FileTicketAsync(BotApplication app, string building = "5", string? photo = null)
    {
        if (building == "5" && photo is null)
        {
            return await AdminTestKit.FileTicketAsync(app);
        }

        var receipt = await app.Services.GetRequiredService<TicketDesk>().FileAsync(
            new GrievanceReport
            {
                Reporter = new ConversationReference
                {
                    Channel = WebChatMapper.ChannelId, ConversationId = "demo-group", IsGroup = true, UserId = "zhang", UserName = "张阿姨",
                },
                Category = "环境保护",
                Description = building + "号楼楼下烧烤店天天半夜吵得睡不着",
                CompoundId = "xingfuli",
                CompoundName = "幸福里小区",
                Building = building,
                Phone = "13812345678",
                Photos = photo is null ? [] : [new InboundAttachment("image/jpeg", photo)],
            },
            app.Time.GetUtcNow(),
            CancellationToken.None);
        return receipt.Number;
    }
}
