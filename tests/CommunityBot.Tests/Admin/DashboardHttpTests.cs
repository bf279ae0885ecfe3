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
}
