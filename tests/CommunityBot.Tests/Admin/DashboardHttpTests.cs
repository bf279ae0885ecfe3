using System.Net;
using CommunityBot.Tests.Harness;
using MiniExcelLibs;
using static CommunityBot.Tests.Admin.AdminTestKit;

namespace CommunityBot.Tests.Admin;

/// <summary>The month's assessment in the console: the page with its charts, the XLSX export, and who may see it.</summary>
public sealed class DashboardHttpTests : IDisposable
{
    private readonly BotApplication _app = new();
    private readonly HttpClient _client;

    public DashboardHttpTests()
    {
        _client = Client(_app);
        CreateAccounts(_app);
        MoveToOfficeHours(_app);
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task Dashboard_Admin_ShowsTheMonthsRatesChartsAndRanking()
    {
        var number = await FileTicketAsync(_app);
        await LoginAsync(_client, Boss);

        var page = await _client.GetStringAsync("/admin/dashboard?month=2026-11");

        Assert.Contains("考核看板 2026-11", page);
        Assert.Contains("<svg", page);
        Assert.Contains("每日工单量", page);
        Assert.Contains("响应率", page);
        Assert.Contains("丰和里一网格", page);
        Assert.Contains("红榜", page);
        Assert.DoesNotContain(number, page); // figures, not tickets
    }

    [Fact]
    public async Task Dashboard_CommunityStaff_SeesOnlyTheirCommunity()
    {
        await FileTicketAsync(_app);
        await LoginAsync(_client, LiuAn);

        var page = await _client.GetStringAsync("/admin/dashboard?month=2026-11");

        Assert.Contains("柳岸一网格", page);
        Assert.DoesNotContain("丰和里一网格", page);
    }

    [Fact]
    public async Task Dashboard_Worker_Returns403()
    {
        await LoginAsync(_client, WangFang);

        Assert.Equal(HttpStatusCode.Forbidden, (await _client.GetAsync("/admin/dashboard")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _client.GetAsync("/admin/dashboard/export?month=2026-11")).StatusCode);
    }

    [Fact]
    public async Task Dashboard_BadMonth_Returns400()
    {
        await LoginAsync(_client, Boss);

        var response = await _client.GetAsync("/admin/dashboard?month=11-2026");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("月份格式", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Export_Admin_IsAWorkbookWithTheMonthsTicket()
    {
        await FileTicketAsync(_app);
        await LoginAsync(_client, Boss);

        var response = await _client.GetAsync("/admin/dashboard/export?month=2026-11");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        using var workbook = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var sheets = MiniExcel.GetSheetNames(workbook);
        Assert.NotEmpty(sheets);
        workbook.Position = 0;
        var rows = MiniExcel.Query(workbook, useHeaderRow: false, sheetName: sheets[0]).ToList();
        Assert.True(rows.Count >= 2, "the first sheet has a header and at least the street's row");
    }

    [Fact]
    public async Task Dashboard_Admin_ShowsEveryChartAndBothRankings()
    {
        await FileTicketAsync(_app);
        await LoginAsync(_client, Boss);

        var page = await _client.GetStringAsync("/admin/dashboard?month=2026-11");

        Assert.Equal(5, System.Text.RegularExpressions.Regex.Matches(page, "<svg ").Count);
        Assert.Contains("按网格", page);
        Assert.Contains("响应时长分布", page);
        Assert.Contains("办结时长分布", page);
        Assert.Contains("id=\"grid-ranking\"", page);
        Assert.Contains("id=\"worker-ranking\"", page);
        Assert.Contains("<td>街道</td><td>丰和街道办事处</td><td>1</td>", page); // the street's own row of rates
        Assert.Contains("全街道的工单，共 1 件", page);
    }

    [Fact]
    public async Task Dashboard_CommunityChoice_CountsOnlyThatCommunitysTickets()
    {
        await FileTicketAsync(_app); // 幸福里 5号楼: 丰和里社区 (FH-01)
        await LoginAsync(_client, Boss);

        Assert.Contains("丰和里社区的工单，共 1 件", await _client.GetStringAsync("/admin/dashboard?month=2026-11&community=FH-01"));
        var other = await _client.GetStringAsync("/admin/dashboard?month=2026-11&community=FH-02");
        Assert.Contains("柳岸社区的工单，共 0 件", other);
        Assert.DoesNotContain("丰和里一网格", other);
    }

    [Fact]
    public async Task Dashboard_CommunityStaffAskingForAnotherCommunity_StillSeesTheirOwn()
    {
        await FileTicketAsync(_app);
        await LoginAsync(_client, LiuAn);

        var page = await _client.GetStringAsync("/admin/dashboard?month=2026-11&community=FH-01");

        Assert.Contains("柳岸社区的工单，共 0 件", page);
        Assert.DoesNotContain("丰和里一网格", page);
        Assert.DoesNotContain("丰和街道办事处</td>", page); // no street row for community staff
    }

    [Fact]
    public async Task Dashboard_UnknownCommunity_Returns400()
    {
        await LoginAsync(_client, Boss);

        var response = await _client.GetAsync("/admin/dashboard?month=2026-11&community=XX-99");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("没有编号为“XX-99”的社区", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Export_Whole_HasEverySheet()
    {
        await LoginAsync(_client, Boss);

        using var workbook = await DownloadAsync("/admin/dashboard/export?month=2026-11");

        Assert.Equal(CommunityBot.Oversight.AssessmentWorkbook.SheetNames, MiniExcel.GetSheetNames(workbook));
    }

    [Fact]
    public async Task Export_EachTableOnItsOwn_HasOnlyThatSheet()
    {
        await FileTicketAsync(_app);
        await LoginAsync(_client, Boss);
        var page = await _client.GetStringAsync("/admin/dashboard?month=2026-11");

        foreach (var sheet in CommunityBot.Oversight.AssessmentWorkbook.SheetNames)
        {
            Assert.Contains("sheet=" + Uri.EscapeDataString(sheet), page); // every table links its own export
            using var workbook = await DownloadAsync("/admin/dashboard/export?month=2026-11&sheet=" + Uri.EscapeDataString(sheet));
            Assert.Equal([sheet], MiniExcel.GetSheetNames(workbook));
        }
    }

    [Fact]
    public async Task Export_CommunityStaff_DailyVolumesAreTheirCommunitysOnly()
    {
        await FileTicketAsync(_app);
        await LoginAsync(_client, Boss);
        using var all = await DownloadAsync("/admin/dashboard/export?month=2026-11&sheet=" + Uri.EscapeDataString("每日件数"));
        Assert.Equal(1, DailyTotal(all));

        using var liuAn = Client(_app);
        await LoginAsync(liuAn, LiuAn);
        using var response = await liuAn.GetAsync("/admin/dashboard/export?month=2026-11&sheet=" + Uri.EscapeDataString("每日件数"));
        using var own = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(0, DailyTotal(own));
    }

    [Fact]
    public async Task Export_UnknownSheet_Returns400()
    {
        await LoginAsync(_client, Boss);

        var response = await _client.GetAsync("/admin/dashboard/export?month=2026-11&sheet=nope");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("没有名为", await response.Content.ReadAsStringAsync());
    }

    private async Task<MemoryStream> DownloadAsync(string url)
    {
        using var response = await _client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new MemoryStream(await response.Content.ReadAsByteArrayAsync());
    }

    private static int DailyTotal(Stream workbook) =>
        MiniExcel.Query(workbook, useHeaderRow: true).Sum(row => Convert.ToInt32(((IDictionary<string, object>)row)["件数"], System.Globalization.CultureInfo.InvariantCulture));
}
