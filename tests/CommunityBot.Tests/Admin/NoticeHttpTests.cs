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

        // Place and problem are known: the notice answers before any question (issue 15).
        var reply = await AskAsync(_app, _client, "我要报修 幸福里5号楼没水了", "report-group");

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
        await JoinReportAsync(notice);
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

    [Fact]
    public async Task Edit_ByAdmin_KeepsTheJoinedReportsShowsTheEditAndTheAssistantAnswersFromTheNewText()
    {
        var notice = await PostDirectlyAsync();
        await JoinReportAsync(notice);
        await LoginAsync(_client, Boss);
        var detailPage = $"/admin/notices/{notice.Id}";
        Assert.Contains($"href=\"{detailPage}/edit\"", await _client.GetStringAsync(detailPage));

        var editPage = await _client.GetStringAsync(detailPage + "/edit");
        Assert.Contains("value=\"停水通知\"", editPage);
        Assert.Contains("value=\"5号楼\"", editPage);
        Assert.Contains("value=\"2026-11-24T08:00\"", editPage);
        Assert.Contains(WaterText, editPage);
        Assert.Contains("name=\"keywords\" value=\"管网\"", editPage); // only the words the defaults would not add again
        var form = WaterForm();
        const string NewText = "幸福里5号楼、6号楼今天8点到20点停水，抢修主管道。";
        form["buildings.xingfuli"] = "5-6号楼";
        form["end"] = "2026-11-24T20:00";
        form["text"] = NewText;

        var response = await PostFormAsync(_client, detailPage + "/edit", detailPage + "/edit", form);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"{detailPage}?done=edited", response.Headers.Location?.OriginalString);
        var edited = Assert.Single(Store.All());
        Assert.Equal(notice.Id, edited.Id);
        Assert.Equal(NewText, edited.Text);
        Assert.Equal(["5号楼", "6号楼"], Assert.Single(edited.Places).Buildings);
        Assert.Equal(new DateTime(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc), edited.EndUtc);
        Assert.Contains("管网", edited.Keywords);
        Assert.Equal("家里没水了", Assert.Single(edited.Reports).Description);
        Assert.Equal(Boss, edited.Author); // the author stays who posted it
        Assert.Contains("已编辑（2026-11-24 10:00，boss）", await _client.GetStringAsync(detailPage));

        var reply = await AskAsync(_app, _client, "幸福里6号楼怎么停水了");
        Assert.Contains(NewText, reply);
        Assert.DoesNotContain(WaterText, reply);
    }

    [Fact]
    public async Task Edit_WithAnUnknownBuilding_Returns400InChineseKeepsWhatWasTypedAndChangesNothing()
    {
        var notice = await PostDirectlyAsync();
        await LoginAsync(_client, Boss);
        var form = WaterForm();
        form["buildings.xingfuli"] = "20号楼";
        form["text"] = "改过的内容";

        var response = await PostFormAsync(_client, $"/admin/notices/{notice.Id}/edit", $"/admin/notices/{notice.Id}/edit", form);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("幸福里小区没有20号楼。", html);
        Assert.Contains("value=\"20号楼\"", html);
        Assert.Contains("改过的内容", html);
        Assert.Contains($"action=\"/admin/notices/{notice.Id}/edit\"", html);
        var stored = Store.Find(notice.Id)!;
        Assert.Equal(WaterText, stored.Text);
        Assert.Equal(["5号楼"], Assert.Single(stored.Places).Buildings);
        Assert.Null(stored.EditedUtc);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Edit_WithdrawnOrEnded_Returns409AndChangesNothing(bool withdrawn)
    {
        var notice = await PostDirectlyAsync();
        if (withdrawn)
        {
            await Store.UpdateAsync(notice.Id, n =>
            {
                n.WithdrawnUtc = _app.Time.GetUtcNow().UtcDateTime;
                n.WithdrawnBy = Boss;
                return true;
            });
        }
        else
        {
            _app.Time.Advance(TimeSpan.FromHours(9)); // 19:00, past the 18:00 end
        }

        await LoginAsync(_client, Boss);
        var detailPage = $"/admin/notices/{notice.Id}";
        Assert.DoesNotContain("/edit\"", await _client.GetStringAsync(detailPage));
        var page = await _client.GetAsync(detailPage + "/edit");
        var form = WaterForm();
        form["end"] = "2026-11-25T18:00";
        form["text"] = "改过的内容";
        var response = await PostFormAsync(_client, detailPage, detailPage + "/edit", form);

        Assert.Equal(HttpStatusCode.Conflict, page.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("这条通知已经结束或撤回，不能编辑。", await response.Content.ReadAsStringAsync());
        var stored = Store.Find(notice.Id)!;
        Assert.Equal(WaterText, stored.Text);
        Assert.Equal(notice.EndUtc, stored.EndUtc);
        Assert.Null(stored.EditedUtc);
    }

    [Fact]
    public async Task Edit_CommunityStaffOfAnotherCommunity_Returns404AndChangesNothing()
    {
        var notice = await PostDirectlyAsync();
        await LoginAsync(_client, LiuAn); // 柳岸社区 (FH-02); the notice is 丰和里's (FH-01)
        var form = WaterForm("FH-02");
        form["text"] = "改过的内容";

        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/admin/notices/{notice.Id}/edit")).StatusCode);
        var response = await PostFormAsync(_client, "/admin/notices", $"/admin/notices/{notice.Id}/edit", form);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(WaterText, Store.Find(notice.Id)!.Text);
        Assert.Null(Store.Find(notice.Id)!.EditedUtc);
    }

    [Fact]
    public async Task Edit_CommunityStaffOfTheNoticesCommunity_IsSavedAndTheCommunityCannotBeMoved()
    {
        var notice = await PostDirectlyAsync(community: "FH-02", compoundId: "binheyuan", compoundName: "滨河苑");
        await LoginAsync(_client, LiuAn);
        var form = WaterForm("FH-01"); // a crafted post naming another community
        form.Remove("buildings.xingfuli");
        form["compound"] = "binheyuan";
        form["text"] = "滨河苑全小区今天停水。";

        var response = await PostFormAsync(_client, $"/admin/notices/{notice.Id}/edit", $"/admin/notices/{notice.Id}/edit", form);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var stored = Store.Find(notice.Id)!;
        Assert.Equal("FH-02", stored.CommunityId);
        Assert.Equal("滨河苑全小区今天停水。", stored.Text);
        Assert.Empty(Assert.Single(stored.Places).Buildings);
        Assert.Equal(LiuAn, stored.EditedBy);
    }

    [Theory]
    [InlineData("/admin/notices")]
    [InlineData("/admin/notices/new")]
    [InlineData("/admin/notices/1/edit")]
    public async Task NoticePages_Worker_Returns403(string path)
    {
        await LoginAsync(_client, WangFang);

        Assert.Equal(HttpStatusCode.Forbidden, (await _client.GetAsync(path)).StatusCode);
    }

    /// <summary>A 停水 notice for 幸福里小区5号楼 in force now (08:00–18:00 on 24 November), stored as the console stores one.</summary>
    private Task<Notice> PostDirectlyAsync(string community = "FH-01", string compoundId = "xingfuli", string compoundName = "幸福里小区") => Store.CreateAsync(new Notice
    {
        Title = "停水通知",
        Text = WaterText,
        Category = "水电气暖",
        Keywords = [.. NoticeKeywords.Defaults("水电气暖", "停水通知"), "管网"],
        CommunityId = community,
        Places = [new NoticePlace { CompoundId = compoundId, CompoundName = compoundName, Buildings = ["5号楼"] }],
        StartUtc = new DateTime(2026, 11, 24, 0, 0, 0, DateTimeKind.Utc),
        EndUtc = new DateTime(2026, 11, 24, 10, 0, 0, DateTimeKind.Utc),
        Author = Boss,
        CreatedUtc = new DateTime(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc),
    });

    /// <summary>张阿姨 of 幸福里5号楼 reports 没水 and joins the notice, as the grievance dialog does.</summary>
    private async Task JoinReportAsync(Notice notice)
    {
        var joined = await _app.Services.GetRequiredService<NoticeBoard>().JoinAsync(notice.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), new GrievanceReport
        {
            Reporter = new ConversationReference { Channel = "webchat", ConversationId = "demo-group", IsGroup = true, UserId = "zhang", UserName = "张阿姨" },
            Category = "水电气暖",
            Description = "家里没水了",
            CompoundId = "xingfuli",
            CompoundName = "幸福里小区",
            Building = "5",
        }, _app.Time.GetUtcNow(), CancellationToken.None);
        Assert.NotNull(joined);
    }

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
