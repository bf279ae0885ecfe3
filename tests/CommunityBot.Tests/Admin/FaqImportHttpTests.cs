using System.Net;
using System.Text;
using CommunityBot.Faq;
using CommunityBot.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using static CommunityBot.Tests.Admin.AdminTestKit;

namespace CommunityBot.Tests.Admin;

/// <summary>Knowledge-base import (merge or replace, all or nothing, used at once) and export in the console.</summary>
public sealed class FaqImportHttpTests : IDisposable
{
    private const string NewEntryCsv = "id,question,similar,answer,category\r\nfaq-900,社区食堂几点开门,\"食堂开门时间\n老年食堂几点开饭\",社区老年食堂每天 11:00–13:00 供应午餐。,社会事务\r\n";

    private readonly BotApplication _app = new();
    private readonly HttpClient _client;

    public FaqImportHttpTests()
    {
        _client = Client(_app);
        CreateAccounts(_app);
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    private FaqStore Store => _app.Services.GetRequiredService<FaqStore>();

    [Fact]
    public async Task Import_CsvMerge_AddsTheEntryKeepsTheRestAndTheAssistantAnswersAtOnce()
    {
        var before = Store.Count();
        await LoginAsync(_client, Boss);

        var response = await PostFileAsync(_client, "/admin/faq/import", "/admin/faq/import", "kb.csv", Encoding.UTF8.GetBytes(NewEntryCsv), new() { ["mode"] = "merge" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("合并导入", await response.Content.ReadAsStringAsync());
        Assert.Equal(before + 1, Store.Count());
        Assert.NotNull(Store.Find("faq-001"));
        Assert.Contains("11:00–13:00", await AskAsync(_app, _client, "老年食堂几点开饭"));
    }

    [Fact]
    public async Task Import_XlsxReplace_LeavesOnlyTheFilesEntries()
    {
        await LoginAsync(_client, Boss);
        var workbook = new MemoryStream();
        workbook.SaveAs(new[] { new Dictionary<string, object> { ["id"] = "faq-901", ["question"] = "垃圾分类怎么投放", ["similar"] = "", ["answer"] = "厨余垃圾投绿色桶。", ["category"] = "市容环卫" } });

        var response = await PostFileAsync(_client, "/admin/faq/import", "/admin/faq/import", "kb.xlsx", workbook.ToArray(), new() { ["mode"] = "replace" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("faq-901", Assert.Single(Store.All()).Id);
    }

    [Fact]
    public async Task Import_RowWithoutAnswer_Returns400NamesTheRowAndChangesNothing()
    {
        var before = Store.All().Select(e => e.Id).ToList();
        await LoginAsync(_client, Boss);
        var csv = NewEntryCsv + "faq-902,第二个问题,,,其他\r\n";

        var response = await PostFileAsync(_client, "/admin/faq/import", "/admin/faq/import", "kb.csv", Encoding.UTF8.GetBytes(csv), new() { ["mode"] = "replace" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("导入失败，知识库没有改动", page);
        Assert.Contains("column answer", page);
        Assert.DoesNotContain("communitybot-upload", page); // no server path
        Assert.Equal(before, Store.All().Select(e => e.Id).ToList());
    }

    [Theory]
    [InlineData("kb.txt", 100, "文件类型不对")]
    [InlineData("kb.csv", 0, "请选择要上传的文件")]
    [InlineData("kb.csv", 5 * 1024 * 1024 + 1, "文件太大")]
    [InlineData("kb.xlsx", 100, "导入失败")] // not really a workbook
    public async Task Import_WrongFile_Returns400WithAClearError(string name, int size, string error)
    {
        var before = Store.Count();
        await LoginAsync(_client, Boss);

        var response = await PostFileAsync(_client, "/admin/faq/import", "/admin/faq/import", name, new byte[size], new() { ["mode"] = "replace" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(error, await response.Content.ReadAsStringAsync());
        Assert.Equal(before, Store.Count());
    }

    [Fact]
    public async Task Import_BodyOverTheLimit_Returns413WithTheChineseErrorBeforeReadingTheForm()
    {
        var before = Store.Count();
        await LoginAsync(_client, Boss);

        // 8 MB: refused on its declared length, before antiforgery or the handler read the form.
        var response = await PostFileAsync(_client, "/admin/faq/import", "/admin/faq/import", "kb.csv", new byte[8 * 1024 * 1024], new() { ["mode"] = "replace" });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("文件太大（8.0 MB），上限为 5 MB。", page);
        Assert.Contains("href=\"/admin/faq/import\"", page);
        Assert.Equal(before, Store.Count());
    }

    [Fact]
    public async Task Import_WithoutAntiforgeryToken_Returns400AndChangesNothing()
    {
        var before = Store.Count();
        await LoginAsync(_client, Boss);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(NewEntryCsv)), "file", "kb.csv" }, { new StringContent("replace"), "mode" } };

        var response = await _client.PostAsync("/admin/faq/import", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, Store.Count());
    }

    [Fact]
    public async Task ImportAndExport_Worker_Returns403()
    {
        await LoginAsync(_client, WangFang);

        Assert.Equal(HttpStatusCode.Forbidden, (await _client.GetAsync("/admin/faq/import")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _client.GetAsync("/admin/faq/export")).StatusCode);
        var response = await PostFileAsync(_client, "/admin/tickets", "/admin/faq/import", "kb.csv", Encoding.UTF8.GetBytes(NewEntryCsv));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(Store.Find("faq-900"));
    }

    [Fact]
    public async Task Export_Xlsx_HoldsEveryEntryAndImportsBackUnchanged()
    {
        await LoginAsync(_client, Boss);

        var response = await _client.GetAsync("/admin/faq/export?format=xlsx");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var rows = new MemoryStream(bytes).Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        // One row per entry, then one per per-compound answer of it (the demo's faq-001 has four), marked by its scope.
        Assert.Equal(Store.All().Select(e => e.Id), rows.Select(r => r["id"]?.ToString()).Distinct());
        Assert.Equal(Store.All().Sum(e => 1 + e.Variants.Count), rows.Count);
        Assert.Equal(Store.All().Sum(e => e.Variants.Count), rows.Count(r => r["scope"]?.ToString() is { Length: > 0 }));

        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".xlsx");
        await File.WriteAllBytesAsync(path, bytes);
        try
        {
            Assert.Equal(Store.All().Select(e => e.Answer), FaqFileFormat.Read(path).Select(e => e.Answer));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Export_Csv_IsTheCliFormat()
    {
        await LoginAsync(_client, Boss);

        var csv = await _client.GetStringAsync("/admin/faq/export?format=csv");

        var entries = FaqFileFormat.ReadCsv(new StringReader(csv));
        Assert.Equal(Store.Count(), entries.Count);
    }
}
