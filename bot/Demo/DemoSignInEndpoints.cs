using System.Globalization;
using CommunityBot.Admin;
using CommunityBot.Channels;
using CommunityBot.Directory;
using Microsoft.AspNetCore.Authentication;

namespace CommunityBot.Demo;

/// <summary>
/// <c>GET|POST /admin/login/demo</c>: the one-time sign-in of the demo console. The link opens a form (so a link preview
/// cannot use it up); posting it with a password of at least eight characters creates the <see cref="DemoSignIn.AccountName"/>
/// account (street-office admin, acting as the demo's street staff), signs in and opens last month's 考核看板. Only from
/// this machine to a loopback-only server, and only while the console has no account: anything else is a 404.
/// </summary>
public static partial class DemoSignInEndpoints
{
    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapGet("/login/demo", (HttpContext http, DemoSignIn signIn, HostExposure exposure, AdminUserStore users, string? token) =>
            Usable(http, signIn, exposure, users, token) ? Form(http, token!, null, StatusCodes.Status200OK) : Gone(http));
        admin.MapPost("/login/demo", SignInAsync);
    }

    private static async Task<IResult> SignInAsync(
        HttpContext http, IFormCollection form, DemoSignIn signIn, HostExposure exposure, AdminUserStore users, GridDirectory directory,
        TimeProvider time, Microsoft.Extensions.Options.IOptions<DirectoryOptions> directoryOptions, ILoggerFactory loggers)
    {
        var token = form["token"].ToString();
        if (!Usable(http, signIn, exposure, users, token))
        {
            return Gone(http);
        }

        var password = form["password"].ToString();
        if (password.Length < AdminCommands.MinPasswordLength)
        {
            return Form(http, token, $"密码至少 {AdminCommands.MinPasswordLength} 个字符。", StatusCodes.Status400BadRequest);
        }

        if (!signIn.TryConsume(token))
        {
            return Gone(http); // used by a request a moment earlier
        }

        var street = directory.Current.Data.Workers.FirstOrDefault(w => w.Role == WorkerRole.Street);
        var user = new AdminUser { Name = DemoSignIn.AccountName, Role = AdminRole.Admin, WorkerId = street?.Id, CreatedAt = time.GetUtcNow().UtcDateTime };
        users.Save(user, password);
        await http.SignInAsync(AdminExtensions.Scheme, AdminSession.ToPrincipal(user, AdminExtensions.Scheme));
        LogCreated(loggers.CreateLogger(typeof(DemoSignInEndpoints).FullName!), DemoSignIn.AccountName);
        // The demo history fills last month; this month has only its first days.
        var lastMonth = TimeZoneInfo.ConvertTime(time.GetUtcNow(), directoryOptions.Value.ResolveTimeZone()).AddMonths(-1);
        return Results.Redirect("/admin/dashboard?month=" + lastMonth.ToString("yyyy-MM", CultureInfo.InvariantCulture));
    }

    private static bool Usable(HttpContext http, DemoSignIn signIn, HostExposure exposure, AdminUserStore users, string? token)
    {
        if (!exposure.IsLocal(http) || !signIn.IsValid(token))
        {
            return false;
        }

        if (users.Count() > 0)
        {
            signIn.Revoke(); // an account was made meanwhile (admin create): the console is no longer the demo's to open
            return false;
        }

        return true;
    }

    private static IResult Form(HttpContext http, string token, string? error, int statusCode) =>
        AdminLayout.Page(http, "演示登录", Html.Of($"""
            {AdminLayout.Message(error, error: true)}
            <form method="post" action="{DemoSignIn.Path}" class="card" id="demo-login">
              {AdminLayout.Csrf(http)}
              <input type="hidden" name="token" value="{token}">
              <p>这是演示数据（丰和街道）的一次性登录：设置一个密码，创建管理员账号 <strong>{DemoSignIn.AccountName}</strong>（以街道工作人员身份处理工单）。
              以后用这个账号和密码登录；本链接只能用一次。</p>
              <label for="password">新密码（至少 {AdminCommands.MinPasswordLength} 个字符）</label>
              <input type="password" id="password" name="password" autocomplete="new-password" minlength="{AdminCommands.MinPasswordLength}" required>
              <p><button type="submit">创建账号并登录</button></p>
            </form>
            """), statusCode);

    private static IResult Gone(HttpContext http) =>
        AdminLayout.Page(http, "链接无效", AdminLayout.Message("这个登录链接无效或已经用过。请用账号和密码登录。", error: true), StatusCodes.Status404NotFound);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin console: account {Name} created through the demo's one-time sign-in")]
    private static partial void LogCreated(ILogger logger, string name);
}
