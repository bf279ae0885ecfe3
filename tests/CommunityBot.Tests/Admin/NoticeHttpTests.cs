using System.Net;
using CommunityBot.Admin;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Grievance;
using CommunityBot.Notices;
using CommunityBot.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;
using static CommunityBot.Tests.Admin.AdminTestKit;

namespace CommunityBot.Tests.Admin;

/// <summary>The notice pages through the real host: posting with validation, community scope, withdrawing, and the assistant answering from what was posted.</summary>
public sealed class NoticeHttpTests : IDisposable
{
    private const string NewPage = "/admin/notices/new?community=FH-01";
    private const string WaterText = "幸福里5号楼今天8点到18点停水检修管网。";

    private readonly BotApplication _app = new();
    private readonly HttpClient _client;

    public NoticeHttpTests()
    {
        _client = Client(_app);
        CreateAccounts(_app);
        MoveToOfficeHours(_app); // Tuesday 24 November 2026, 10:00 in Zhengzhou
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    private NoticeStore Store => _app.Services.GetRequiredService<NoticeStore>();

    private static Dictionary<string, string> WaterForm(string community = "FH-01") => new()
    {
        ["community"] = community,
        ["title"] = "停水通知",
        ["category"] = "水电气暖",
        ["compound"] = "xingfuli",
        ["buildings.xingfuli"] = "5号楼",
        ["start"] = "2026-11-24T08:00",
        ["end"] = "2026-11-24T18:00",
        ["text"] = WaterText,
        ["keywords"] = "管网",
    };

    [Fact]
    public async Task Create_ByAdmin_IsStoredAndTheAssistantAnswersFromIt()
    {
        await LoginAsync(_client, Boss);

        var response = await PostFormAsync(_client, NewPage, "/admin/notices/new", WaterForm());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var notice = Assert.Single(Store.All());
        Assert.Equal($"/admin/notices/{notice.Id}?done=posted", response.Headers.Location?.OriginalString);
        Assert.Equal(["5号楼"], Assert.Single(notice.Places).Buildings);
        Assert.Equal(new DateTime(2026, 11, 24, 0, 0, 0, DateTimeKind.Utc), notice.StartUtc);
        Assert.Equal(new DateTime(2026, 11, 24, 10, 0, 0, DateTimeKind.Utc), notice.EndUtc);
        Assert.Contains("停水", notice.Keywords);
        Assert.Contains("管网", notice.Keywords);
        Assert.Equal(Boss, notice.Author);

        var reply = await AskAsync(_app, _client, "幸福里5号楼怎么又停水了");
        Assert.Contains(WaterText, reply);
        Assert.Contains("11月24日 08:00 至 18:00", reply);
    }

    [Fact]
    public async Task Report_InTheNoticesBuilding_ThroughTheRealHost_JoinsItAndOpensNoTicket()
    {
        var notice = await PostDirectlyAsync();

        Assert.Equal("请问是哪类问题？", await AskAsync(_app, _client, "我要报修 幸福里5号楼没水了", "report-group"));
        var reply = await AskAsync(_app, _client, "水电气暖", "report-group");

        Assert.Contains("这是已公告的情况：【停水通知】", reply);
        Assert.Contains("不会生成工单", reply);
        Assert.Empty(_app.Services.GetRequiredService<CommunityBot.Tickets.TicketStore>().All());
        Assert.Equal("幸福里小区5号楼", Assert.Single(Store.Find(notice.Id)!.Reports).Location);
    }

    [Fact]
    public async Task Create_WithProblems_Returns400InChineseKeepsWhatWasTypedAndSavesNothing()
    {
        await LoginAsync(_client, Boss);
        var form = WaterForm();
        form["title"] = "";
        form["buildings.xingfuli"] = "20号楼";
        form["end"] = "2026-11-24T07:00";

        var response = await PostFormAsync(_client, NewPage, "/admin/notices/new", form);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("请填写标题。", html);
        Assert.Contains("幸福里小区没有20号楼。", html);
        Assert.Contains("结束时间必须晚于开始时间。", html);
        Assert.Contains(WaterText, html);
        Assert.Contains("value=\"20号楼\"", html);
        Assert.Empty(Store.All());
    }

    [Fact]
    public async Task Create_CommunityStaffForAnotherCommunity_Returns403AndSavesNothing()
    {
        await LoginAsync(_client, LiuAn); // 柳岸社区 (FH-02)

        var response = await PostFormAsync(_client, "/admin/notices/new", "/admin/notices/new", WaterForm("FH-01"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("只能为本社区发布通知。", await response.Content.ReadAsStringAsync());
        Assert.Empty(Store.All());
    }

    [Fact]
    public async Task Create_CommunityStaffForOwnCommunity_IsStored()
    {
        await LoginAsync(_client, LiuAn);
        var form = WaterForm("FH-02");
        form.Remove("buildings.xingfuli");
        form["compound"] = "binheyuan"; // the whole compound

        var response = await PostFormAsync(_client, "/admin/notices/new", "/admin/notices/new", form);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var place = Assert.Single(Assert.Single(Store.All()).Places);
        Assert.Equal("binheyuan", place.CompoundId);
        Assert.Empty(place.Buildings);
    }

    [Fact]
    public async Task OtherCommunitysNotice_CommunityStaff_CannotSeeNorWithdrawIt()
    {
        var notice = await PostDirectlyAsync();
        await LoginAsync(_client, LiuAn);

        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/admin/notices/{notice.Id}")).StatusCode);
        Assert.DoesNotContain("停水通知", await (await _client.GetAsync("/admin/notices")).Content.ReadAsStringAsync());
        var withdraw = await PostFormAsync(_client, "/admin/notices", $"/admin/notices/{notice.Id}/withdraw", []);
        Assert.Equal(HttpStatusCode.NotFound, withdraw.StatusCode);
        Assert.Null(Store.Find(notice.Id)!.WithdrawnUtc);
    }

    [Fact]
    public async Task Withdraw_ByAdmin_MarksItAndTheAssistantStopsAnsweringFromIt()
    {
        var notice = await PostDirectlyAsync();
        await LoginAsync(_client, Boss);
        Assert.Contains(WaterText, await AskAsync(_app, _client, "幸福里5号楼怎么又停水了", "before-withdraw"));

        var response = await PostFormAsync(_client, $"/admin/notices/{notice.Id}", $"/admin/notices/{notice.Id}/withdraw", []);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(Boss, Store.Find(notice.Id)!.WithdrawnBy);
        Assert.Contains("已撤回", await (await _client.GetAsync($"/admin/notices/{notice.Id}")).Content.ReadAsStringAsync());
        Assert.DoesNotContain(WaterText, await AskAsync(_app, _client, "幸福里5号楼怎么又停水了", "after-withdraw"));
    }

    [Fact]
    public async Task Detail_ShowsTheJoinedReportsCountAndList_ListShowsItAsActive()
    {
        var notice = await PostDirectlyAsync();
        var board = _app.Services.GetRequiredService<NoticeBoard>();
        await board.JoinAsync(notice.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), new GrievanceReport
        {
            Reporter = new ConversationReference { Channel = "webchat", ConversationId = "demo-group", IsGroup = true, UserId = "zhang", UserName = "张阿姨" },
            Category = "水电气暖",
            Description = "家里没水了",
            CompoundId = "xingfuli",
            CompoundName = "幸福里小区",
            Building = "5",
        }, _app.Time.GetUtcNow(), CancellationToken.None);
        await LoginAsync(_client, Boss);

        var detail = await (await _client.GetAsync($"/admin/notices/{notice.Id}")).Content.ReadAsStringAsync();
        var list = await (await _client.GetAsync("/admin/notices")).Content.ReadAsStringAsync();

        Assert.Contains("<span id=\"notice-report-count\">1</span>", detail);
        Assert.Contains("张阿姨", detail);
        Assert.Contains("幸福里小区5号楼", detail);
        Assert.Contains("进行中", detail);
        var active = list[list.IndexOf("id=\"notices-active\"", StringComparison.Ordinal)..list.IndexOf("id=\"notices-upcoming\"", StringComparison.Ordinal)];
        Assert.Contains("停水通知", active);
        Assert.Contains("href=\"/admin/notices\"", list); // the console navigation links the pages
    }

    [Theory]
    [InlineData("/admin/notices")]
    [InlineData("/admin/notices/new")]
    public async Task NoticePages_Worker_Returns403(string path)
    {
        await LoginAsync(_client, WangFang);

        Assert.Equal(HttpStatusCode.Forbidden, (await _client.GetAsync(path)).StatusCode);
    }

    /// <summary>A 停水 notice for 幸福里小区5号楼 in force now (08:00–18:00 on 24 November), stored as the console stores one.</summary>
    private Task<Notice> PostDirectlyAsync() => Store.CreateAsync(new Notice
    {
        Title = "停水通知",
        Text = WaterText,
        Category = "水电气暖",
        Keywords = NoticeKeywords.Defaults("水电气暖", "停水通知").ToList(),
        CommunityId = "FH-01",
        Places = [new NoticePlace { CompoundId = "xingfuli", CompoundName = "幸福里小区", Buildings = ["5号楼"] }],
        StartUtc = new DateTime(2026, 11, 24, 0, 0, 0, DateTimeKind.Utc),
        EndUtc = new DateTime(2026, 11, 24, 10, 0, 0, DateTimeKind.Utc),
        Author = Boss,
        CreatedUtc = new DateTime(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc),
    });

    [Fact]
    public async Task DemoNotice_FirstStartWithTheDemoDirectory_AnswersAQuestionAboutIt()
    {
        using var demo = new BotApplication(new() { ["Directory:DemoNotice"] = "true" });
        using var client = Client(demo);

        var reply = await AskAsync(demo, client, "幸福里5号楼怎么停水了");

        Assert.Contains("因二次供水水箱清洗，5号楼暂停供水", reply);
        Assert.Contains("幸福里小区5号楼", reply);
        Assert.Contains("无需报修", reply);
        var notice = Assert.Single(demo.Services.GetRequiredService<NoticeStore>().All());
        Assert.Equal("演示数据", notice.Author);
    }

}
