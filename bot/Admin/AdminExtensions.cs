using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CommunityBot.Admin;

/// <summary>Registers and maps the admin console under <c>/admin</c>.</summary>
public static class AdminExtensions
{
    public const string Scheme = "AdminCookie";
    public const string TicketsPolicy = "AdminTickets";
    public const string FaqPolicy = "AdminFaq";
    public const string NoticesPolicy = "AdminNotices";

    /// <summary>Needs <c>AddStorage()</c>, <c>AddUnderstanding()</c> and <c>AddTickets()</c>.</summary>
    public static IHostApplicationBuilder AddAdminConsole(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AdminOptions>()
            .BindConfiguration(AdminOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton<IPasswordHasher<AdminUser>, PasswordHasher<AdminUser>>();
        builder.Services.AddSingleton<AdminUserStore>();
        builder.Services.AddRateLimiter(limiter => limiter.AddPolicy<string, AdminLoginLimiter>(AdminLoginLimiter.PolicyName));
        builder.Services.AddSingleton<TicketScope>();
        builder.Services.AddSingleton<AdminFormat>();
        builder.Services.AddSingleton<TicketPage>();
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = ".CommunityBot.Antiforgery";
            options.Cookie.SameSite = SameSiteMode.Strict;
            // Secure over https, also behind a configured TLS proxy (ReverseProxy:*); antiforgery's default is never.
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        builder.Services.AddAuthentication(Scheme)
            .AddCookie(Scheme, options =>
            {
                options.Cookie.Name = ".CommunityBot.Admin";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.Path = "/admin";
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.LoginPath = "/admin/login";
                options.SlidingExpiration = true;
                options.Events.OnValidatePrincipal = AdminSession.ValidateAsync;
                // A signed-in user without the role gets a plain 403 page rather than a redirect loop.
                options.Events.OnRedirectToAccessDenied = context =>
                    AdminLayout.Page(context.HttpContext, "无权访问", AdminLayout.Message("您的账号没有权限打开这个页面。", error: true), StatusCodes.Status403Forbidden)
                        .ExecuteAsync(context.HttpContext);
            });
        builder.Services.AddOptions<CookieAuthenticationOptions>(Scheme)
            .Configure<Microsoft.Extensions.Options.IOptions<AdminOptions>>((cookie, admin) => cookie.ExpireTimeSpan = admin.Value.SessionIdle);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(TicketsPolicy, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser())
            .AddPolicy(FaqPolicy, policy => policy.AddAuthenticationSchemes(Scheme)
                .RequireRole(nameof(AdminRole.Admin), nameof(AdminRole.Street), nameof(AdminRole.Community)))
            // Workers are refused: a notice's reports name residents, and posting is the community's and office's job.
            .AddPolicy(NoticesPolicy, policy => policy.AddAuthenticationSchemes(Scheme)
                .RequireRole(nameof(AdminRole.Admin), nameof(AdminRole.Street), nameof(AdminRole.Community)));
        return builder;
    }

    public static WebApplication MapAdminConsole(this WebApplication app)
    {
        // After the authentication and authorization middleware the host adds on its own, as antiforgery requires;
        // the sign-in limiter before antiforgery, which reads the form.
        // The console's own static files (wwwroot/admin: the stylesheet), whatever the local chat's settings.
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/admin"), files => files.UseStaticFiles());
        app.UseRateLimiter();
        app.Use(AdminUpload.RefuseOversizedAsync);
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/admin"), admin => admin.Use(Hosting.FormCharset.RefuseOthersAsync));
        app.UseAntiforgery();
        // Every POST under /admin is checked, also one that reads no form (minimal APIs check only those that bind one),
        // and refused with 400 when the token is missing or wrong.
        var admin = app.MapGroup("/admin").WithTags("Admin")
            .WithMetadata(new RequireAntiforgeryTokenAttribute())
            .AddEndpointFilter(RefuseForgedAsync);
        AdminLoginEndpoints.Map(admin);
        Demo.DemoSignInEndpoints.Map(admin); // the demo's one-time sign-in, this machine only
        FaqAdminEndpoints.Map(admin.MapGroup("").RequireAuthorization(FaqPolicy));
        TicketAdminEndpoints.Map(admin.MapGroup("").RequireAuthorization(TicketsPolicy));
        // The same roles as the knowledge base: workers are assessed, they do not read the office's figures.
        DashboardAdminEndpoints.Map(admin.MapGroup("").RequireAuthorization(FaqPolicy));
        NoticeAdminEndpoints.Map(admin.MapGroup("").RequireAuthorization(NoticesPolicy));
        // Broadcasts reach residents in their groups: the office and communities send them, grid workers do not.
        BroadcastAdminEndpoints.Map(admin.MapGroup("").RequireAuthorization(FaqPolicy));
        // Community staff edit their own community; import and export of the whole are checked per endpoint.
        DirectoryAdminEndpoints.Map(admin.MapGroup("").RequireAuthorization(FaqPolicy));
        // Delivery status for the office (the page refuses community staff): counts and failed messages, no personal data.
        OutboxAdminEndpoints.Map(admin.MapGroup("").RequireAuthorization(FaqPolicy));
        // 运行状态: readiness and the figures since start, for the office (the page refuses community staff).
        StatusAdminEndpoints.Map(admin.MapGroup("").RequireAuthorization(FaqPolicy));
        admin.MapGet("/", () => Results.Redirect("/admin/tickets")).RequireAuthorization(TicketsPolicy);
        return app;
    }

    // The antiforgery middleware only records its verdict; an endpoint that binds a form refuses on its own.
    private static ValueTask<object?> RefuseForgedAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        context.HttpContext.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false }
            ? ValueTask.FromResult<object?>(AdminLayout.Page(
                context.HttpContext, "页面已过期", AdminLayout.Message("页面已过期或不是从本站提交的，请返回刷新页面后重试。", error: true), StatusCodes.Status400BadRequest))
            : next(context);
}
