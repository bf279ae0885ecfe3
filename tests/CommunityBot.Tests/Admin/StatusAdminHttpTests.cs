using System.Net;
using CommunityBot.Tests.Harness;
using static CommunityBot.Tests.Admin.AdminTestKit;

namespace CommunityBot.Tests.Admin;

/// <summary>运行状态: readiness and the figures since start, in Chinese, for the office; counts only.</summary>
public sealed class StatusAdminHttpTests : IDisposable
{
    private readonly BotApplication _app = new();
    private readonly HttpClient _client;

    public StatusAdminHttpTests()
    {
        _client = Client(_app);
        CreateAccounts(_app);
        _app.UseTestKnowledgeBase();
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task StatusPage_Admin_SeesReadinessAndTodaysFiguresWithoutResidents()
    {
        await AskAsync(_app, _client, "物业电话多少");
        await AskAsync(_app, _client, "明天火箭几点发射");
        await FileTicketAsync(_app);
        await LoginAsync(_client, Boss);

        var page = await _client.GetStringAsync("/admin/status");

        Assert.Contains("就绪状态：<strong class=\"status-ok\">正常</strong>", page);
        Assert.Contains("<td data-label=\"项目\">数据存储</td>", page);
        Assert.Contains("直接答复 <strong>1</strong> 次", page);
        Assert.Contains("未能回答 <strong>1</strong> 次", page);
        Assert.Contains("新建 <strong>1</strong> 件", page);
        Assert.Contains("<td data-label=\"渠道\">本机聊天页</td><td data-label=\"已处理\">2</td>", page);
        Assert.Contains("<td data-label=\"渠道\">本机聊天页</td><td data-label=\"已送达\">2</td>", page);
        Assert.Contains("最近 2 条的中位数", page);
        Assert.DoesNotContain("李大爷", page);
        Assert.DoesNotContain("admin-test-group", page);
        Assert.Contains("href=\"/admin/status\"", page);
    }

    [Theory]
    [InlineData(LiuAn)]
    [InlineData(WangFang)]
    public async Task StatusPage_CommunityOrWorker_Refused(string name)
    {
        await LoginAsync(_client, name);

        var response = await _client.GetAsync("/admin/status");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
