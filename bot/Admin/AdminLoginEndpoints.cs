using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CommunityBot.Admin;

/// <summary>Sign-in and sign-out of the console (<c>/admin/login</c>, <c>/admin/logout</c>).</summary>
public static partial class AdminLoginEndpoints
{
    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapGet("/login", (HttpContext http, string? returnUrl) => LoginPage(http, returnUrl, null, StatusCodes.Status200OK));
        admin.MapPost("/login", LoginAsync).RequireRateLimiting(AdminLoginLimiter.PolicyName);
        admin.MapPost("/logout", async (HttpContext http, IFormCollection form) =>
        {
            await http.SignOutAsync(AdminExtensions.Scheme);
            return Results.Redirect("/admin/login");
        });
    }

    private static async Task<IResult> LoginAsync(
        HttpContext http, IFormCollection form, AdminUserStore users, IOptions<AdminOptions> options, TimeProvider time, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(AdminLoginEndpoints).FullName!);
        var name = form["name"].ToString().Trim();
        var password = form["password"].ToString();
        var returnUrl = form["returnUrl"].ToString();
        var address = ClientAddress(http);
        var (outcome, user) = users.CheckPassword(name, password, address, time.GetUtcNow().UtcDateTime, options.Value);
        switch (outcome)
        {
            case LoginOutcome.Succeeded:
                await http.SignInAsync(AdminExtensions.Scheme, AdminSession.ToPrincipal(user!, AdminExtensions.Scheme));
                LogSignedIn(logger, name);
                return Results.Redirect(IsLocal(returnUrl) ? returnUrl : "/admin/tickets");
            case LoginOutcome.LockedOut:
                LogLockedOut(logger, name);
                LogAttemptAddress(logger, name, address);
                return LockedPage();
            case LoginOutcome.AccountLockedOut:
                LogAccountLockedOut(logger, name);
                LogAttemptAddress(logger, name, address);
                return LockedPage();
            case LoginOutcome.Busy:
                LogBusy(logger, name);
                LogAttemptAddress(logger, name, address);
                return TryLaterPage(http, StatusCodes.Status429TooManyRequests, returnUrl, name);
            default:
                LogFailed(logger, name);
                LogAttemptAddress(logger, name, address);
                return LoginPage(http, returnUrl, "用户名或密码不正确。", StatusCodes.Status401Unauthorized, name);
        }

        // The same words for both locks: the page does not tell an attacker which limit they reached.
        IResult LockedPage() => LoginPage(
            http, returnUrl, $"登录失败次数过多，账号已锁定 {options.Value.LockoutDuration.TotalMinutes:0} 分钟，请稍后再试。", StatusCodes.Status429TooManyRequests, name);
    }

    /// <summary>The login page saying to try again in a moment, with <c>Retry-After</c>: too many sign-ins at once.</summary>
    public static IResult TryLaterPage(HttpContext http, int statusCode, string? returnUrl = null, string name = "")
    {
        http.Response.Headers.RetryAfter = AdminLoginLimiter.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return LoginPage(http, returnUrl, $"登录请求过多，请 {AdminLoginLimiter.RetryAfterSeconds} 秒后再试。", statusCode, name);
    }

    private static IResult LoginPage(HttpContext http, string? returnUrl, string? error, int statusCode, string name = "") =>
        AdminLayout.Page(http, "登录", Html.Of($"""
            {AdminLayout.Message(error, error: true)}
            <form method="post" action="/admin/login" class="card" id="login">
              {AdminLayout.Csrf(http)}
              <input type="hidden" name="returnUrl" value="{(IsLocal(returnUrl) ? returnUrl : "")}">
              <label for="name">用户名</label>
              <input type="text" id="name" name="name" value="{name}" autocomplete="username" required>
              <label for="password">密码</label>
              <input type="password" id="password" name="password" autocomplete="current-password" required>
              <p><button type="submit">登录</button></p>
            </form>
            """), statusCode);

    /// <summary>
    /// The address failures are counted against: the client's, also behind a proxy named in <c>ReverseProxy:*</c>
    /// (its X-Forwarded-For); behind any other proxy the proxy's own, so every user then shares one count.
    /// </summary>
    private static string ClientAddress(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } ip ? (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString() : "unknown";

    // Only our own console pages, so the login form cannot be used to send someone elsewhere.
    private static bool IsLocal(string? url) =>
        url is { Length: > 1 } && url.StartsWith("/admin", StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal) && !url.Contains('\\');

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin console: {Name} signed in")]
    private static partial void LogSignedIn(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admin console: failed sign-in as {Name}")]
    private static partial void LogFailed(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admin console: {Name} is locked out for one client address after repeated failures from it")]
    private static partial void LogLockedOut(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admin console: {Name} is locked out for every address after repeated failures from many")]
    private static partial void LogAccountLockedOut(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admin console: sign-in as {Name} refused unchecked while as many attempts as the lockout allows are being checked")]
    private static partial void LogBusy(ILogger logger, string name);

    // A client address can identify a person, so it is kept out of the Warning lines above.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Admin console: the failed or refused sign-in as {Name} came from {Address}")]
    private static partial void LogAttemptAddress(ILogger logger, string name, string address);
}
