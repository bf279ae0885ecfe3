using System.Net;
using System.Text.RegularExpressions;
using CommunityBot.Tests.Admin;
using CommunityBot.Tests.Channels.BotFramework;
using CommunityBot.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CommunityBot.Tests.Demo;

/// <summary>
/// Issue 15, item 4, as a newcomer sees it in real headless Chromium (as <see cref="AdminBrowserTests"/>): the demo's
/// one-time sign-in link from the start-up log opens the console on last month's 考核看板, whose charts, rankings and
/// red/black lists show the seeded demo month. Checked on the page and on a screenshot of each chart: its pixels are
/// not blank (the bars' colours are there), so a chart that renders empty fails.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed partial class DemoDashboardBrowserTests : IAsyncLifetime
{
    // Counts the screenshot's saturated pixels (bars are coloured; background, axes and text are white, grey or black).
    private const string CountColouredPixels = """
        async (dataUrl) => {
          const image = new Image();
          image.src = dataUrl;
          await image.decode();
          const canvas = document.createElement('canvas');
          canvas.width = image.width;
          canvas.height = image.height;
          const context = canvas.getContext('2d');
          context.drawImage(image, 0, 0);
          const pixels = context.getImageData(0, 0, image.width, image.height).data;
          let coloured = 0;
          for (let i = 0; i < pixels.length; i += 4) {
            const r = pixels[i], g = pixels[i + 1], b = pixels[i + 2];
            if (Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++;
          }
          return { Coloured: coloured, Total: image.width * image.height };
        }
        """;

    private readonly CollectingLoggerProvider _logs = new();
    private readonly BotApplication _app;
    private readonly ChromiumBrowser _chromium;
    private IBrowserContext? _context;

    public DemoDashboardBrowserTests(ChromiumBrowser chromium)
    {
        _chromium = chromium;
        _app = new BotApplication(new() { ["Demo:Tickets"] = "true", ["Demo:TieGroup"] = "true", ["Demo:SignIn"] = "true" })
        {
            ExtraServices = s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(_logs),
        };
    }

    public Task InitializeAsync()
    {
        if (File.Exists(ChromiumFactAttribute.ChromiumPath))
        {
            _app.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            _app.StartServer();
        }

        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_context is not null)
        {
            await _context.DisposeAsync();
        }

        _app.Dispose();
    }

    [ChromiumFact]
    public async Task Browser_NewcomerUsesTheOneTimeSignIn_SeesLastMonthsDashboardFilled()
    {
        var printed = Assert.Single(_logs.Logger.Entries, e => e.Message.Contains("sign in once", StringComparison.Ordinal)).Message;
        var link = LinkPattern().Match(printed).Value;
        Assert.StartsWith("http://127.0.0.1:", link, StringComparison.Ordinal); // the address the server really listens on
        var context = _context = await _chromium.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();

        await page.GotoAsync(link);
        await page.FillAsync("#password", "newcomer-pass-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "创建账号并登录" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/admin/dashboard\\?month=2026-10$"));
        await Assertions.Expect(page.Locator("#dashboard-scope")).ToContainTextAsync("全街道的工单");
        var scope = await page.Locator("#dashboard-scope").InnerTextAsync();
        Assert.True(int.Parse(ScopeCount().Match(scope).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 150, scope);

        // Five charts (by day, category, grid, response and closing times), each with bars drawn at a real size.
        var charts = page.Locator("figure.chart");
        Assert.Equal(5, await charts.CountAsync());
        for (var i = 0; i < 5; i++)
        {
            var chart = charts.Nth(i);
            var caption = await chart.Locator("figcaption").InnerTextAsync();
            var bars = chart.Locator("svg rect.bar:not([height=\"0\"])");
            Assert.True(await bars.CountAsync() >= 3, $"{caption}: fewer than three bars");
            var box = await bars.First.BoundingBoxAsync();
            Assert.True(box is { Width: > 0, Height: > 0 }, $"{caption}: the first bar has no size on screen");

            var shot = await chart.ScreenshotAsync();
            var pixels = await page.EvaluateAsync<PixelCount>(CountColouredPixels, "data:image/png;base64," + Convert.ToBase64String(shot));
            Assert.True(pixels.Coloured > pixels.Total * 0.02, $"{caption}: only {pixels.Coloured} of {pixels.Total} pixels are coloured (blank chart?)");
        }

        // Rankings: grids and workers ranked with scores, and both lists named.
        foreach (var ranking in new[] { "#grid-ranking", "#worker-ranking" })
        {
            var ranked = page.Locator($"{ranking} tbody tr").Filter(new() { HasNotText = "件数不足" });
            Assert.True(await ranked.CountAsync() >= 4, $"{ranking}: fewer than four ranked");
            await Assertions.Expect(page.Locator($"{ranking} .red-list li").First).ToContainTextAsync("第1名");
            Assert.True(await page.Locator($"{ranking} .black-list li").CountAsync() >= 1, $"{ranking}: empty black list");
        }

        await Assertions.Expect(page.Locator("#rates tbody tr")).ToHaveCountAsync(1 + 3 + 8); // street, communities, grids
        await Assertions.Expect(page.Locator("#rates tbody tr").First).Not.ToContainTextAsync("—");

        var full = await page.ScreenshotAsync(new() { FullPage = true });
        await File.WriteAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "demo-dashboard.png"), full);

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "导出 XLSX（全部表格）" }).ClickAsync());
        Assert.Equal("assessment-2026-10.xlsx", download.SuggestedFilename);
        var rows = MiniExcelLibs.MiniExcel.Query(await download.PathAsync(), useHeaderRow: true, sheetName: CommunityBot.Oversight.AssessmentWorkbook.GridRankingSheet, excelType: MiniExcelLibs.ExcelType.XLSX).Count();
        Assert.Equal(8, rows);

        // The link is spent.
        var again = await (await context.NewPageAsync()).GotoAsync(link);
        Assert.Equal(404, again!.Status);
    }

    private sealed class PixelCount
    {
        public int Coloured { get; set; }

        public int Total { get; set; }
    }

    [GeneratedRegex(@"http://\S+/admin/login/demo\?token=[A-Za-z0-9_-]+")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"共 (\d+) 件")]
    private static partial Regex ScopeCount();
}
