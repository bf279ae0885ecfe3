using System.Net;
using System.Text.RegularExpressions;
using CommunityBot.Faq;
using CommunityBot.Tests.Harness;
using CommunityBot.Understanding;
using Microsoft.Extensions.DependencyInjection;
using static CommunityBot.Tests.Admin.AdminTestKit;

namespace CommunityBot.Tests.Admin;

/// <summary>The console's list of knowledge-base entries that say nearly the same, and merging one into the other.</summary>
public sealed partial class FaqDuplicatesHttpTests : IDisposable
{
    private readonly BotApplication _app = new();
    private readonly HttpClient _client;

    public FaqDuplicatesHttpTests()
    {
        _client = Client(_app);
        CreateAccounts(_app);
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    private void AddEntry(FaqEntry entry)
    {
        var store = _app.Services.GetRequiredService<FaqStore>();
        store.Upsert(entry);
        _app.Services.GetRequiredService<FaqMatcher>().Reload(store.Enabled());
    }

    [Fact]
    public async Task Duplicates_CopiedEntry_IsListedAndTheMergeLinkPrefillsTheForm()
    {
        await LoginAsync(_client, Boss);
        var page = await _client.GetStringAsync("/admin/faq/duplicates");
        var before = PairCount(page);
        AddEntry(new FaqEntry { Id = "zz-copy", Question = "小区里能不能开个理发店的证明", Answer = "a" });
        AddEntry(new FaqEntry { Id = "zz-orig", Question = "小区里能不能开理发店的证明？", Answer = "b" });

        page = await _client.GetStringAsync("/admin/faq/duplicates");

        Assert.Equal(before + 1, PairCount(page));
        Assert.Contains("相近的问法：小区里能不能开个理发店的证明", page);
        var merge = WebUtility.HtmlDecode(MergeLink().Match(page[page.IndexOf("zz-copy", StringComparison.Ordinal)..]).Groups[1].Value);
        Assert.StartsWith("/admin/faq/edit?id=zz-copy&addPhrasing=", merge);
        var form = await _client.GetStringAsync(merge);
        Assert.Contains("小区里能不能开理发店的证明？", form);
    }

    [Fact]
    public async Task Duplicates_BadThreshold_SaysSoAndShowsTheDefault()
    {
        await LoginAsync(_client, Boss);

        var response = await _client.GetAsync("/admin/faq/duplicates?min=abc");
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("相似度下限应为 0.5 到 1 之间的数", page);
        Assert.Contains("value=\"0.8\"", page);
    }

    private static int PairCount(string page) => int.Parse(PairCountPattern().Match(page).Groups[1].Value);

    [GeneratedRegex("共 (\\d+) 对")]
    private static partial Regex PairCountPattern();

    [GeneratedRegex("class=\"merge\" href=\"([^\"]+)\"")]
    private static partial Regex MergeLink();
}
