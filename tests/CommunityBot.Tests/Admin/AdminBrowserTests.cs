using System.Net;
using CommunityBot.Tests.Harness;
using CommunityBot.Tickets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static CommunityBot.Tests.Admin.AdminTestKit;

namespace CommunityBot.Tests.Admin;

/// <summary>
/// The admin console in real headless Chromium (Microsoft.Playwright driving Debian's /usr/bin/chromium) against the
/// real host on Kestrel at 127.0.0.1 with an ephemeral port: WebApplicationFactory's in-memory TestServer cannot be
/// reached by a browser, so the factory is switched to Kestrel (<see cref="Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory{TEntryPoint}.UseKestrel(Action{Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions})"/>).
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class AdminBrowserTests(ChromiumBrowser chromium) : IAsyncLifetime
{
    private readonly BotApplication _app = new();
    private readonly List<IBrowserContext> _contexts = [];
    private string _baseUrl = "";

    public Task InitializeAsync()
    {
        if (!File.Exists(ChromiumFactAttribute.ChromiumPath))
        {
            return Task.CompletedTask; // every test here is skipped
        }

        _app.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _app.StartServer();
        _baseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        CreateAccounts(_app);
        MoveToOfficeHours(_app);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.DisposeAsync();
        }

        _app.Dispose();
    }

    [ChromiumFact]
    public async Task Browser_LoginAndEditFaqEntry_AssistantAnswersWithTheNewText()
    {
        var page = await NewPageAsync();
        await LogInAsync(page, Boss);

        await page.GetByRole(AriaRole.Link, new() { Name = "知识库" }).ClickAsync();
        await page.FillAsync("#q", "物业服务中心的电话");
        await page.GetByRole(AriaRole.Button, new() { Name = "搜索" }).ClickAsync();
        await page.Locator("#faq-list tr", new() { HasText = "faq-001" }).GetByRole(AriaRole.Link, new() { Name = "编辑" }).ClickAsync();
        await page.FillAsync("#answer", "物业服务中心新电话：0371-88889999，24小时值班。");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("已保存条目 faq-001");

        // The resident's side: the local chat page, in the demo group, @-mentioning the assistant.
        await page.GotoAsync(_baseUrl + "/");
        // Ready once the page has prefilled the group's "@小灵通 " (its first long poll only returns when a message comes,
        // because the test host's clock is fake).
        await Assertions.Expect(page.Locator("#input")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^@小灵通"));
        // The page prefills "@小灵通 " in a group; filling replaces it, so the mention is typed out.
        await page.FillAsync("#input", "@小灵通 物业电话多少");
        await page.RunAndWaitForResponseAsync(() => page.ClickAsync("#send"), r => r.Url.EndsWith("/api/local/messages", StringComparison.Ordinal));
        Assert.True(await _app.DeliverAsync() > 0, "the assistant's reply waits in the outbox, which the test host leaves to the test");
        // Reloading reads the whole conversation at once, rather than depending on when the page's long poll wakes.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#messages")).ToContainTextAsync("0371-88889999");
    }

    [ChromiumFact]
    public async Task Browser_WrongPassword_ShowsTheLoginFailure()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(_baseUrl + "/admin/tickets");

        await page.FillAsync("#name", Boss);
        await page.FillAsync("#password", "wrong-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("用户名或密码不正确。");
        await Assertions.Expect(page.Locator("#name")).ToHaveValueAsync(Boss);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "工单" })).ToHaveCountAsync(0);
    }

    [ChromiumFact]
    public async Task Browser_ChatPage_ShowsTheClosingPhoto_AndNoAddressThatIsNotHttp()
    {
        // As the web chat client delivers a closing question, plus an address no client would let through, to check the page's own guard.
        _app.Services.GetRequiredService<CommunityBot.Channels.WebChat.WebChatMailbox>().Append(CommunityBot.Channels.WebChat.WebChatDemo.GroupId, new()
        {
            From = CommunityBot.Channels.WebChat.WebChatSender.Bot,
            UserId = "local-bot",
            UserName = "小灵通",
            Text = "您反映的问题（工单 WT20261123-0001）已办结：灯泡已换\n问题解决了吗？",
            Attachments =
            [
                new("image/jpeg", "https://files.example.invalid/closing/lamp.jpg"),
                new("image/jpeg", "javascript:alert(document.cookie)"),
            ],
        });
        var page = await NewPageAsync();

        await page.GotoAsync(_baseUrl + "/");

        var message = page.Locator("#messages .msg.bot", new() { HasText = "已办结：灯泡已换" });
        await Assertions.Expect(message).ToHaveCountAsync(1);
        await Assertions.Expect(message.Locator("img.photo")).ToHaveCountAsync(1);
        Assert.Equal("https://files.example.invalid/closing/lamp.jpg", await message.Locator("img.photo").GetAttributeAsync("src"));
        Assert.Equal("noopener noreferrer", await message.Locator("a.photo-link").GetAttributeAsync("rel"));
        await Assertions.Expect(page.Locator("[href^='javascript:'], [src^='javascript:']")).ToHaveCountAsync(0);
    }

    [ChromiumFact]
    public async Task Browser_WorkerOpensTheFaqPage_IsRefused()
    {
        var page = await NewPageAsync();
        await LogInAsync(page, WangFang);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "知识库" })).ToHaveCountAsync(0);

        var response = await page.GotoAsync(_baseUrl + "/admin/faq");

        Assert.Equal(403, response!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("没有权限");
    }

    [ChromiumFact]
    public async Task Browser_WorkerSignsAndClosesTicket_StatusAndTimelineShowIt()
    {
        var number = await FileTicketAsync(_app);
        var page = await NewPageAsync();
        await LogInAsync(page, WangFang);

        await page.GetByRole(AriaRole.Link, new() { Name = number }).ClickAsync();
        await Assertions.Expect(page.Locator("#ticket-status")).ToHaveTextAsync("待签收");
        await page.GetByRole(AriaRole.Button, new() { Name = "签收" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToHaveTextAsync("已签收。");
        await Assertions.Expect(page.Locator("#ticket-status")).ToHaveTextAsync("处理中");

        await page.FillAsync("#note", "已约谈烧烤店，晚十点后停业");
        await page.GetByRole(AriaRole.Button, new() { Name = "办结" }).ClickAsync();

        await Assertions.Expect(page.Locator("#ticket-status")).ToHaveTextAsync("已办结");
        await Assertions.Expect(page.Locator("#timeline")).ToContainTextAsync("已约谈烧烤店，晚十点后停业");
        Assert.Equal(TicketStatus.Resolved, _app.Services.GetRequiredService<TicketStore>().Find(number)!.Status);
    }

    [ChromiumFact]
    public async Task Browser_StaffTransfersTicketToAChosenWorker_AssigneeAndTimelineFollow()
    {
        var number = await FileTicketAsync(_app);
        var page = await NewPageAsync();
        await LogInAsync(page, Boss);

        await page.GetByRole(AriaRole.Link, new() { Name = number }).ClickAsync();
        await page.SelectOptionAsync("#worker", "w-liqiang");
        await page.FillAsync("#note", "5号楼归二网格");
        await page.GetByRole(AriaRole.Button, new() { Name = "转派", Exact = true }).ClickAsync();

        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("已转派");
        await Assertions.Expect(page.Locator("#ticket-assignee")).ToContainTextAsync("李强");
        await Assertions.Expect(page.Locator("#timeline")).ToContainTextAsync("转派给李强：5号楼归二网格");
        Assert.Equal("w-liqiang", _app.Services.GetRequiredService<TicketStore>().Find(number)!.AssigneeId);
    }

    [ChromiumFact]
    public async Task Browser_Dashboard_ChartRendersAndTheExportDownloads()
    {
        await FileTicketAsync(_app);
        var page = await NewPageAsync();
        await LogInAsync(page, Boss);

        await page.GetByRole(AriaRole.Link, new() { Name = "考核看板" }).ClickAsync();
        await page.FillAsync("input[name=month]", "2026-11");
        await page.GetByRole(AriaRole.Button, new() { Name = "查看" }).ClickAsync();

        // The bar chart is drawn: its bars have a real size on screen.
        var bar = page.Locator("figure.chart svg rect.bar:not([height=\"0\"])").First;
        await Assertions.Expect(bar).ToBeVisibleAsync();
        var box = await bar.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.Width > 0 && box.Height > 0, $"the first bar is {box.Width}×{box.Height}");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "导出 XLSX" }).ClickAsync());
        Assert.Equal("assessment-2026-11.xlsx", download.SuggestedFilename);
        var path = await download.PathAsync();
        Assert.True(new FileInfo(path!).Length > 0);
    }

    private async Task<IPage> NewPageAsync()
    {
        var context = await chromium.NewContextAsync(new BrowserNewContextOptions { BaseURL = _baseUrl });
        _contexts.Add(context);
        return await context.NewPageAsync();
    }

    private async Task LogInAsync(IPage page, string name)
    {
        await page.GotoAsync(_baseUrl + "/admin/login");
        await page.FillAsync("#name", name);
        await page.FillAsync("#password", Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(_baseUrl + "/admin/tickets");
    }
}
