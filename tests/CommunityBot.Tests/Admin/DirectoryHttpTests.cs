using System.Net;
using CommunityBot.Directory;
using CommunityBot.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using static CommunityBot.Tests.Admin.AdminTestKit;

namespace CommunityBot.Tests.Admin;

/// <summary>The grid directory in the console: view, edits that routing uses at once, validation, roles, import and export.</summary>
public sealed class DirectoryHttpTests : IDisposable
{
    private readonly BotApplication _app = new();
    private readonly HttpClient _client;

    public DirectoryHttpTests()
    {
        _client = Client(_app);
        CreateAccounts(_app);
        MoveToOfficeHours(_app); // Tuesday 10:00: 王芳 is on duty for 幸福里 1–6号楼
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    private GridDirectory Directory => _app.Services.GetRequiredService<GridDirectory>();

    private string RoutedTo() =>
        _app.Services.GetRequiredService<TicketRouter>().Route("xingfuli", "5号楼", "环境保护", _app.Time.GetUtcNow()).WorkerId!;

    [Fact]
    public async Task View_Admin_ShowsGridsWorkersRosterAndLeave()
    {
        await LoginAsync(_client, Boss);

        var page = await _client.GetStringAsync("/admin/directory");

        Assert.Contains("丰和里一网格", page);
        Assert.Contains("王芳", page);
        Assert.Contains("周一、周二、周三、周四、周五", page);
        Assert.Contains("年休假", page);
        Assert.Contains("/admin/directory/import", page);
    }

    [Fact]
    public async Task View_CommunityStaff_SeesOnlyTheirCommunityAndNoImport()
    {
        await LoginAsync(_client, LiuAn);

        var page = await _client.GetStringAsync("/admin/directory");

        Assert.Contains("陈静", page);
        Assert.DoesNotContain("王芳", page);
        Assert.DoesNotContain("13800000101", page);
        Assert.DoesNotContain("/admin/directory/import", page);
    }

    [Fact]
    public async Task EditWorker_MarkedInactive_RoutingPassesOverThemAtOnce()
    {
        Assert.Equal("w-wangfang", RoutedTo());
        await LoginAsync(_client, Boss);

        var response = await PostFormAsync(_client, "/admin/directory/worker?id=w-wangfang", "/admin/directory/worker",
            new() { ["id"] = "w-wangfang", ["phone"] = "13800000999", ["webchat"] = "worker-wangfang" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var worker = Directory.Current.Workers["w-wangfang"];
        Assert.Equal(("13800000999", false), (worker.Phone, worker.Active));
        Assert.Equal("w-liqiang", RoutedTo()); // the grid's deputy
        Assert.False(new DirectoryStore(_app.Database).Load().Workers.Single(w => w.Id == "w-wangfang").Active); // stored, not only in memory
    }

    [Theory]
    [InlineData("phone", "138-abc", "电话号码格式不对")]
    [InlineData("webchat", "worker-liqiang", "已属于 李强")]
    public async Task EditWorker_BadField_Returns400AndChangesNothing(string field, string value, string error)
    {
        await LoginAsync(_client, Boss);
        var fields = new Dictionary<string, string> { ["id"] = "w-wangfang", ["phone"] = "13800000101", ["webchat"] = "worker-wangfang", ["active"] = "true" };
        fields[field] = value;

        var response = await PostFormAsync(_client, "/admin/directory/worker?id=w-wangfang", "/admin/directory/worker", fields);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(error, await response.Content.ReadAsStringAsync());
        var worker = Directory.Current.Workers["w-wangfang"];
        Assert.Equal(("13800000101", "worker-wangfang"), (worker.Phone, worker.WebChatUserId));
    }

    [Fact]
    public async Task EditWorker_CommunityStaffOfAnotherCommunity_IsRefusedAndChangesNothing()
    {
        await LoginAsync(_client, LiuAn);

        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/admin/directory/worker?id=w-wangfang")).StatusCode);
        var response = await PostFormAsync(_client, "/admin/directory", "/admin/directory/worker", new() { ["id"] = "w-wangfang", ["phone"] = "1" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.True(Directory.Current.Workers["w-wangfang"].Active);
    }

    [Fact]
    public async Task EditWorker_CommunityStaffOwnCommunity_Saves()
    {
        await LoginAsync(_client, LiuAn);

        var response = await PostFormAsync(_client, "/admin/directory/worker?id=w-chenjing", "/admin/directory/worker",
            new() { ["id"] = "w-chenjing", ["phone"] = "13800000299", ["webchat"] = "worker-chenjing", ["active"] = "true" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("13800000299", Directory.Current.Workers["w-chenjing"].Phone);
    }

    [Fact]
    public async Task AddLeave_CoveringNow_RoutesToTheDeputyAtOnce()
    {
        await LoginAsync(_client, Boss);

        var response = await PostFormAsync(_client, "/admin/directory/leave", "/admin/directory/leave",
            new() { ["index"] = "-1", ["worker"] = "w-wangfang", ["start"] = "2026-11-24 08:00", ["end"] = "2026-11-24", ["reason"] = "病假" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var leave = Directory.Current.Data.Leave.Last();
        Assert.Equal(("w-wangfang", "病假"), (leave.WorkerId, leave.Reason));
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.FromHours(8)), leave.End); // a bare end date includes the day
        Assert.Equal("w-liqiang", RoutedTo());
    }

    [Fact]
    public async Task AddLeave_EndBeforeStart_Returns400AndChangesNothing()
    {
        var before = Directory.Current.Data.Leave.Count;
        await LoginAsync(_client, Boss);

        var response = await PostFormAsync(_client, "/admin/directory/leave", "/admin/directory/leave",
            new() { ["index"] = "-1", ["worker"] = "w-wangfang", ["start"] = "2026-11-26", ["end"] = "2026-11-24 08:00" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("结束时间必须晚于开始时间", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, Directory.Current.Data.Leave.Count);
        Assert.Equal("w-wangfang", RoutedTo());
    }

    [Fact]
    public async Task EditShift_OtherWorker_RoutesToThemAtOnce()
    {
        await LoginAsync(_client, Boss);
        var shift = Directory.Current.Data.Roster[0]; // 丰和里一网格, 王芳, weekdays 08:30–17:30
        Assert.Equal(("FH-01-01", "w-wangfang"), (shift.GridId, shift.WorkerId));

        var response = await PostFieldsAsync(_client, "/admin/directory/shift?index=0", "/admin/directory/shift",
        [
            new("index", "0"), new("original", "FH-01-01|w-wangfang|1,2,3,4,5|08:30|17:30"), new("grid", "FH-01-01"), new("worker", "w-zhaomin"),
            new("days", "1"), new("days", "2"), new("start", "8:00"), new("end", "18:00"),
        ]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var edited = Directory.Current.Data.Roster[0];
        Assert.Equal(("w-zhaomin", new TimeOnly(8, 0), new TimeOnly(18, 0)), (edited.WorkerId, edited.Start, edited.End));
        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Tuesday], edited.Days);
        Assert.Equal("w-zhaomin", RoutedTo());
    }

    [Theory]
    [InlineData("25:00", "1", "FH-01-01", "开始时间格式不对")]
    [InlineData("08:00", "", "FH-01-01", "请至少勾选一天")]
    [InlineData("08:00", "1", "FH-02-01", "值班人员须是该网格所在社区的人员")]
    public async Task AddShift_Invalid_Returns400AndChangesNothing(string start, string day, string grid, string error)
    {
        var before = Directory.Current.Data.Roster.Count;
        await LoginAsync(_client, Boss);
        List<KeyValuePair<string, string>> fields = [new("index", "-1"), new("grid", grid), new("worker", "w-wangfang"), new("start", start), new("end", "12:00")];
        if (day.Length > 0)
        {
            fields.Add(new("days", day));
        }

        var response = await PostFieldsAsync(_client, "/admin/directory/shift", "/admin/directory/shift", fields);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(error, await response.Content.ReadAsStringAsync());
        Assert.Equal(before, Directory.Current.Data.Roster.Count);
    }

    [Fact]
    public async Task AddShift_CommunityStaffForAnotherCommunitysGrid_Returns400AndChangesNothing()
    {
        var before = Directory.Current.Data.Roster.Count;
        await LoginAsync(_client, LiuAn);

        var response = await PostFieldsAsync(_client, "/admin/directory/shift", "/admin/directory/shift",
            [new("index", "-1"), new("grid", "FH-01-01"), new("worker", "w-wangfang"), new("days", "1"), new("start", "08:00"), new("end", "12:00")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("管辖范围", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, Directory.Current.Data.Roster.Count);
    }

    [Fact]
    public async Task ExportThenImport_RoundTripsTheDirectory()
    {
        await LoginAsync(_client, Boss);
        var before = Directory.Current.Data;

        var export = await _client.GetAsync("/admin/directory/export");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        var bytes = await export.Content.ReadAsByteArrayAsync();
        var response = await PostFileAsync(_client, "/admin/directory/import", "/admin/directory/import", "directory.xlsx", bytes);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("已导入", await response.Content.ReadAsStringAsync());
        var after = Directory.Current.Data;
        Assert.Equal(before.Workers, after.Workers);
        Assert.Equal(before.Leave, after.Leave);
        Assert.Equal(before.Roster.Select(s => (s.GridId, s.WorkerId, s.Start, s.End)), after.Roster.Select(s => (s.GridId, s.WorkerId, s.Start, s.End)));
    }

    [Fact]
    public async Task Import_BadReference_Returns400NamesTheSheetRowAndChangesNothing()
    {
        await LoginAsync(_client, Boss);
        var workbook = new MemoryStream();
        workbook.SaveAs(new Dictionary<string, object>
        {
            ["communities"] = new[] { new Dictionary<string, object> { ["id"] = "X-01", ["name"] = "新社区", ["street_office"] = "新街道" } },
            ["grids"] = new[] { new Dictionary<string, object> { ["id"] = "X-01-01", ["name"] = "新网格", ["community"] = "X-99" } },
            ["compounds"] = new[] { new Dictionary<string, object> { ["id"] = "c", ["name"] = "小区", ["community"] = "X-01" } },
            ["workers"] = new[] { new Dictionary<string, object> { ["id"] = "w", ["name"] = "某人", ["role"] = "street" } },
        });

        var response = await PostFileAsync(_client, "/admin/directory/import", "/admin/directory/import", "directory.xlsx", workbook.ToArray());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("导入失败，网格目录没有改动", page);
        Assert.Contains("grids", page);
        Assert.Contains("X-99", page);
        Assert.Equal("w-wangfang", RoutedTo());
        Assert.True(Directory.Current.Workers.ContainsKey("w-wangfang"));
    }

    [Fact]
    public async Task Import_NotAWorkbook_Returns400()
    {
        await LoginAsync(_client, Boss);

        var response = await PostFileAsync(_client, "/admin/directory/import", "/admin/directory/import", "directory.csv", "id,name\n"u8.ToArray());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("文件类型不对", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Import_BodyOverTheLimit_Returns413WithTheChineseErrorAndChangesNothing()
    {
        await LoginAsync(_client, Boss);
        var before = Directory.Current;

        var response = await PostFileAsync(_client, "/admin/directory/import", "/admin/directory/import", "directory.xlsx", new byte[6 * 1024 * 1024]);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("文件太大（6.0 MB），上限为 5 MB。", await response.Content.ReadAsStringAsync());
        Assert.Same(before, Directory.Current);
    }

    [Fact]
    public async Task ImportAndExport_CommunityStaff_Returns403()
    {
        await LoginAsync(_client, LiuAn);

        Assert.Equal(HttpStatusCode.Forbidden, (await _client.GetAsync("/admin/directory/import")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _client.GetAsync("/admin/directory/export")).StatusCode);
    }

    [Fact]
    public async Task DirectoryPages_Worker_Returns403()
    {
        await LoginAsync(_client, WangFang);

        Assert.Equal(HttpStatusCode.Forbidden, (await _client.GetAsync("/admin/directory")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _client.GetAsync("/admin/directory/worker?id=w-wangfang")).StatusCode);
    }

    [Fact]
    public async Task SaveWorker_WithoutAntiforgeryToken_Returns400AndChangesNothing()
    {
        await LoginAsync(_client, Boss);

        var response = await _client.PostAsync("/admin/directory/worker", new FormUrlEncodedContent(new Dictionary<string, string> { ["id"] = "w-wangfang", ["phone"] = "1" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("13800000101", Directory.Current.Workers["w-wangfang"].Phone);
    }
}
