using CommunityBot.Tests.Admin;
using Microsoft.Playwright;

namespace CommunityBot.Tests.Harness;

/// <summary>
/// One headless Chromium (Microsoft.Playwright driving Debian's /usr/bin/chromium, as DESIGN.md says) shared by every
/// browser test class of <see cref="ChromiumCollection"/>; each test opens its own context, so no cookie or storage
/// crosses tests, and disposes it. Where Chromium is missing nothing is launched and the <see cref="ChromiumFactAttribute"/>
/// tests are skipped.
/// </summary>
public sealed class ChromiumBrowser : IAsyncLifetime
{
    // Without the network flags Chromium keeps trying hosts it cannot reach from here (DESIGN.md).
    private static readonly string[] Args =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumFactAttribute.ChromiumPath))
        {
            return;
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumFactAttribute.ChromiumPath,
            Headless = true,
            Args = Args,
        });
    }

    /// <summary>A fresh browser context (zh-CN unless the options say otherwise); the caller disposes it.</summary>
    public Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions options)
    {
        var browser = _browser ?? throw new InvalidOperationException($"{ChromiumFactAttribute.ChromiumPath} is missing; the test should have been skipped.");
        options.Locale ??= "zh-CN";
        return browser.NewContextAsync(options);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
