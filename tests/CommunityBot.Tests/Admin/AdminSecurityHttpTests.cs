using System.Net;
using System.Text.RegularExpressions;
using CommunityBot.Admin;
using CommunityBot.Notices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
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

    [Fact]
    public async Task Issue12_EveryStateChangingAdminEndpoint_RefusesARequestWithoutTheAntiforgeryToken()
    {
        var app = Keep(new BotApplication());
        CreateAccounts(app);
        MoveToOfficeHours(app);
        var ticket = await FileTicketAsync(app);
        var notice = await app.Services.GetRequiredService<NoticeStore>().CreateAsync(new Notice
        {
            Title = "停水通知", Text = "幸福里5号楼今天停水。", Category = "水电气暖", CommunityId = "FH-01",
            Places = [new NoticePlace { CompoundId = "xingfuli", CompoundName = "幸福里小区", Buildings = ["5号楼"] }],
            StartUtc = new DateTime(2026, 11, 24, 0, 0, 0, DateTimeKind.Utc), EndUtc = new DateTime(2026, 11, 24, 10, 0, 0, DateTimeKind.Utc),
            Author = Boss, CreatedUtc = new DateTime(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc),
        });
        var client = Keep(Client(app));
        await LoginAsync(client, Boss); // the street admin passes every role check, so only the token can refuse

        var unsafeRoutes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/admin", StringComparison.Ordinal) == true)
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [], (e, method) => (Method: method, Pattern: e.RoutePattern.RawText!))
            .Where(r => r.Method is not ("GET" or "HEAD" or "OPTIONS" or "TRACE"))
            .ToList();
        Assert.Contains(("POST", "/admin/notices/{id:int}/withdraw"), unsafeRoutes);
        Assert.True(unsafeRoutes.Count >= 15, $"found {unsafeRoutes.Count} state-changing admin endpoints");

        foreach (var (method, pattern) in unsafeRoutes)
        {
            var path = pattern.Replace("{number}", ticket, StringComparison.Ordinal).Replace("{id:int}", notice.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            Assert.DoesNotContain("{", path);
            using var request = new HttpRequestMessage(new HttpMethod(method), path)
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["action"] = "Sign", ["text"] = "x" }),
            };
            var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{method} {pattern} without a token: {(int)response.StatusCode}");
        }

        Assert.Null(app.Services.GetRequiredService<NoticeStore>().Find(notice.Id)!.WithdrawnUtc);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/tickets")).StatusCode); // still signed in: logout was refused too
    }

    private const string Proxy = "10.0.0.5";
    private const string Attacker = "203.0.113.7";
    private const string RealUser = "198.51.100.20";

    [Fact]
    public async Task Issue12_BehindAConfiguredTlsProxy_CookiesAreSecureAndTheLockoutCountsTheRealClient()
    {
        var app = Keep(new BotApplication(new() { ["ReverseProxy:KnownProxies:0"] = Proxy }));
        CreateAccounts(app);
        var browser = new ProxiedBrowser(Keep(RawClient(app)), sender: Proxy);

        var page = await browser.GetAsync("/admin/login", forwardedFor: RealUser);
        Assert.Contains(page.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".CommunityBot.Antiforgery=", StringComparison.Ordinal) && IsSecure(c));
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await browser.LoginAsync(Boss, "wrong-" + i, forwardedFor: Attacker)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await browser.LoginAsync(Boss, "wrong-4", forwardedFor: Attacker)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await browser.LoginAsync(Boss, Password, forwardedFor: Attacker)).StatusCode);
        // The real user comes through the same proxy from another address: not locked out by the attacker's failures.
        var signedIn = await browser.LoginAsync(Boss, Password, forwardedFor: RealUser);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Contains(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".CommunityBot.Admin=", StringComparison.Ordinal) && IsSecure(c));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Issue12_ForwardedHeadersFromASenderNotConfigured_AreIgnored(bool anotherProxyConfigured)
    {
        var app = Keep(new BotApplication(anotherProxyConfigured ? new() { ["ReverseProxy:KnownNetworks:0"] = "10.0.0.0/24" } : null));
        CreateAccounts(app);
        var browser = new ProxiedBrowser(Keep(RawClient(app)), sender: Attacker);

        var page = await browser.GetAsync("/admin/login", forwardedFor: RealUser);
        Assert.DoesNotContain(page.Headers.GetValues("Set-Cookie"), IsSecure);
        // Whatever address the sender claims, its failures count against its own.
        for (var i = 0; i < 5; i++)
        {
            await browser.LoginAsync(Boss, "wrong-" + i, forwardedFor: $"192.0.2.{i + 1}");
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await browser.LoginAsync(Boss, Password, forwardedFor: RealUser)).StatusCode);
    }

    private static bool IsSecure(string setCookie) => setCookie.Split(';').Any(a => a.Trim().Equals("secure", StringComparison.OrdinalIgnoreCase));

    private static HttpClient RawClient(BotApplication app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    /// <summary>
    /// Requests as a TLS proxy at <c>sender</c> passes them on (X-Forwarded-Proto https, X-Forwarded-For the client),
    /// keeping cookies by hand: a cookie container would not send a Secure cookie back over the test server's http.
    /// </summary>
    private sealed class ProxiedBrowser(HttpClient client, string sender)
    {
        private readonly Dictionary<string, string> _cookies = [];

        public Task<HttpResponseMessage> GetAsync(string path, string forwardedFor) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path), forwardedFor);

        public async Task<HttpResponseMessage> LoginAsync(string name, string password, string forwardedFor)
        {
            var page = await (await GetAsync("/admin/login", forwardedFor)).Content.ReadAsStringAsync();
            var token = WebUtility.HtmlDecode(TokenPattern().Match(page).Groups[1].Value);
            return await SendAsync(new HttpRequestMessage(HttpMethod.Post, "/admin/login")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = name, ["password"] = password, ["__RequestVerificationToken"] = token }),
            }, forwardedFor);
        }

        private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string forwardedFor)
        {
            request.Headers.Add(BotApplication.ClientAddressHeader, sender);
            request.Headers.Add("X-Forwarded-For", forwardedFor);
            request.Headers.Add("X-Forwarded-Proto", "https");
            if (_cookies.Count > 0)
            {
                request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
            }

            var response = await client.SendAsync(request);
            foreach (var cookie in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
            {
                var pair = cookie.Split(';')[0].Split('=', 2);
                _cookies[pair[0]] = pair[1];
            }

            return response;
        }
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
