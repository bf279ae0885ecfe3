using System.Net;
using System.Text;
using CommunityBot.Faq;
using CommunityBot.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;
using static CommunityBot.Tests.Admin.AdminTestKit;

namespace CommunityBot.Tests.Admin;

/// <summary>Per-compound answers in the console: the editor's fields, the import's scope column and the export (issue 15, item 2).</summary>
public sealed class FaqVariantHttpTests : IDisposable
{
    private readonly BotApplication _app = new();
    private readonly HttpClient _client;

    public FaqVariantHttpTests()
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
    public void DemoKnowledgeBase_SeededWithTheDemoDirectory_HasItsPerCompoundPhoneAnswers()
    {
        Assert.Equal(["xingfuli", "liuan", "chunhui", "hepingli"], Store.Find("faq-001")!.Variants.Select(v => v.ScopeId));
    }

    [Fact]
    public async Task Import_UnknownScope_Returns400NamingTheRow_AndChangesNothing()
    {
        var before = Store.All().Select(e => (e.Id, e.Answer, e.Variants.Count)).ToList();
        await LoginAsync(_client, Boss);
        var csv = "id,question,similar,answer,category,scope\r\n"
            + "faq-001,物业服务中心的电话是多少？,物业电话多少,新的通用答案,物业管理,\r\n"
            + "faq-001,,,幸福里的新答案,,幸福里小区\r\n"
            + "faq-001,,,月亮湾的答案,,月亮湾小区\r\n";

        var response = await PostFileAsync(_client, "/admin/faq/import", "/admin/faq/import", "kb.csv", Encoding.UTF8.GetBytes(csv), new() { ["mode"] = "merge" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("导入失败，知识库没有改动", page);
        Assert.Contains("Line 4, column scope", page);
        Assert.Contains("月亮湾小区", page);
        Assert.Equal(before, Store.All().Select(e => (e.Id, e.Answer, e.Variants.Count)).ToList());
    }

    [Fact]
    public async Task ImportThenExport_ScopeColumn_RoundTripsWithCompoundNames()
    {
        await LoginAsync(_client, Boss);
        var csv = "id,question,similar,answer,category,scope\r\n"
            + "faq-950,快递柜在哪,快递柜位置,各小区快递柜在大门口。,社区服务,\r\n"
            + "faq-950,,,幸福里的快递柜在南门东侧。,,xingfuli\r\n";

        var imported = await PostFileAsync(_client, "/admin/faq/import", "/admin/faq/import", "kb.csv", Encoding.UTF8.GetBytes(csv), new() { ["mode"] = "merge" });
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        var exported = await (await _client.GetAsync("/admin/faq/export?format=csv")).Content.ReadAsStringAsync();

        Assert.StartsWith("id,question,similar,answer,category,scope\r\n", exported.TrimStart('\uFEFF'), StringComparison.Ordinal);
        Assert.Contains("faq-950,快递柜在哪,,幸福里的快递柜在南门东侧。,,幸福里小区\r\n", exported, StringComparison.Ordinal);
        Assert.Equal("幸福里的快递柜在南门东侧。", Store.Find("faq-950")!.AnswerFor("xingfuli", "FH-01"));
    }

    [Fact]
    public async Task Editor_SavesAVariant_AndShowsItAgain()
    {
        await LoginAsync(_client, Boss);
        var entry = Store.Find("faq-002")!;

        var response = await SaveAsync(entry, [("compound:liuan", "柳岸花园报修请拨0371-66002102。"), ("", "")]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var variant = Assert.Single(Store.Find("faq-002")!.Variants);
        Assert.Equal((FaqScopeKind.Compound, "liuan", "柳岸花园报修请拨0371-66002102。"), (variant.Kind, variant.ScopeId, variant.Answer));
        var form = await (await _client.GetAsync("/admin/faq/edit?id=faq-002")).Content.ReadAsStringAsync();
        Assert.Contains("<option value=\"compound:liuan\" selected>小区：柳岸花园</option>", form);
        Assert.Contains("柳岸花园报修请拨0371-66002102。", form);
    }

    [Theory]
    [InlineData("compound:liuan", "", "请填写柳岸花园的专用答案")]
    [InlineData("", "没有选范围的答案", "没有选择小区或社区")]
    [InlineData("compound:yueliangwan", "月亮湾的答案", "不在网格目录中")]
    public async Task Editor_BadVariant_Returns400KeepsWhatWasTyped_AndSavesNothing(string scope, string answer, string problem)
    {
        await LoginAsync(_client, Boss);
        var entry = Store.Find("faq-002")!;

        var response = await SaveAsync(entry, [(scope, answer)], newAnswer: "改过的通用答案");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains(problem, page);
        Assert.Contains("改过的通用答案", page);
        Assert.Equal(entry.Answer, Store.Find("faq-002")!.Answer);
        Assert.Empty(Store.Find("faq-002")!.Variants);
    }

    [Fact]
    public async Task Editor_TwoVariantsForOneCompound_IsRefused()
    {
        await LoginAsync(_client, Boss);

        var response = await SaveAsync(Store.Find("faq-002")!, [("compound:liuan", "答案一"), ("compound:liuan", "答案二")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("柳岸花园有两个专用答案", await response.Content.ReadAsStringAsync());
    }

    private Task<HttpResponseMessage> SaveAsync(FaqEntry entry, (string Scope, string Answer)[] variants, string? newAnswer = null)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("isNew", "false"), new("id", entry.Id), new("question", entry.Question), new("similar", string.Join("\n", entry.Similar)),
            new("answer", newAnswer ?? entry.Answer), new("category", entry.Category), new("enabled", "true"),
        };
        foreach (var (scope, answer) in variants)
        {
            fields.Add(new("variantScope", scope));
            fields.Add(new("variantAnswer", answer));
        }

        return PostFieldsAsync(_client, "/admin/faq/edit?id=" + entry.Id, "/admin/faq/edit", fields);
    }
}
