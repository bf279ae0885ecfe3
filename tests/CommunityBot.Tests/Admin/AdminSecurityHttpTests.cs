using System.Net;
using System.Text.RegularExpressions;
using CommunityBot.Admin;
using CommunityBot.Tests.Harness;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using static CommunityBot.Tests.Admin.AdminTestKit;

namespace CommunityBot.Tests.Admin;

/// <summary>Issue 12, item 5: the console under attack, through the real host.</summary>
public sealed partial class AdminSecurityHttpTests : IDisposable
{
    private readonly List<IDisposable> _disposables = [];

    public void Dispose()
    {
        foreach (var disposable in Enumerable.Reverse(_disposables))
        {
            disposable.Dispose();
        }
    }

    [Fact]
    public async Task Issue12_Login_MoreAtOnceThanTheLimiterHolds_503WithRetryAfterAndAChineseMessage()
    {
        var hasher = Keep(new GatedPasswordHasher());
        var app = Keep(new BotApplication(new() { ["Admin:LoginConcurrency"] = "1", ["Admin:LoginQueue"] = "1" }));
        var host = Keep(app.WithWebHostBuilder(web => web.ConfigureTestServices(services => services.AddSingleton<IPasswordHasher<AdminUser>>(hasher))));
        host.Services.GetRequiredService<AdminUserStore>().Save(new AdminUser { Name = Boss, Role = AdminRole.Admin }, Password);
        var client = Keep(host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));
        var token = await TokenAsync(client);

        var first = PostLoginAsync(client, token, Boss, Password);
        hasher.WaitUntilInside(1);
        // One place is taken and one may wait: of the next two, one is refused at once without its password being checked.
        var second = PostLoginAsync(client, token, Boss, Password);
        var third = PostLoginAsync(client, token, Boss, Password);
        var refused = await (await Task.WhenAny(second, third).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(AdminLoginLimiter.RetryAfterSeconds), refused.Headers.RetryAfter?.Delta);
        Assert.Contains("登录请求过多", await refused.Content.ReadAsStringAsync());
        Assert.Equal(1, hasher.Checks);

        hasher.Open();
        Assert.Equal(HttpStatusCode.Redirect, (await first).StatusCode);
        var waited = await (refused == await second ? third : second);
        Assert.Equal(HttpStatusCode.Redirect, waited.StatusCode);
    }

    [Fact]
    public async Task Issue12_DemotedAdmin_OpenSessionLosesItsRightsOnTheNextRequest()
    {
        var app = Keep(new BotApplication());
        CreateAccounts(app);
        var client = Keep(Client(app));
        await LoginAsync(client, Boss);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/faq")).StatusCode);

        // What `admin create boss --role worker` does while the admin's browser is still signed in.
        app.Services.GetRequiredService<AdminUserStore>().Save(new AdminUser { Name = Boss, Role = AdminRole.Worker, WorkerId = "w-wangfang" }, Password);

        var faq = await client.GetAsync("/admin/faq");
        Assert.Equal(HttpStatusCode.Redirect, faq.StatusCode);
        Assert.Equal("/admin/login", faq.Headers.Location?.AbsolutePath);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/admin/tickets")).StatusCode);
        // Signing in again gives the new role's rights only.
        await LoginAsync(client, Boss);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/tickets")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/admin/faq")).StatusCode);
    }

    [Fact]
    public async Task Issue12_PasswordResetOrRemovedAccount_EndsOpenSessions()
    {
        var app = Keep(new BotApplication());
        CreateAccounts(app);
        var boss = Keep(Client(app));
        var liuAn = Keep(Client(app));
        await LoginAsync(boss, Boss);
        await LoginAsync(liuAn, LiuAn);

        var users = app.Services.GetRequiredService<AdminUserStore>();
        users.Save(users.Find(Boss)!, "another-password-2");
        app.Database.GetCollection(AdminUserStore.CollectionName).Delete(LiuAn);

        Assert.Equal(HttpStatusCode.Redirect, (await boss.GetAsync("/admin/tickets")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await liuAn.GetAsync("/admin/tickets")).StatusCode);
    }

    private T Keep<T>(T disposable)
        where T : IDisposable
    {
        _disposables.Add(disposable);
        return disposable;
    }

    private static async Task<string> TokenAsync(HttpClient client)
    {
        var page = await client.GetStringAsync("/admin/login");
        return WebUtility.HtmlDecode(TokenPattern().Match(page).Groups[1].Value);
    }

    private static Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string token, string name, string password) =>
        client.PostAsync("/admin/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = name, ["password"] = password, ["__RequestVerificationToken"] = token,
        }));

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
