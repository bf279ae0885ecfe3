using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace CommunityBot.Admin;

/// <summary>The signed-in console user as the cookie carries them.</summary>
public sealed record AdminSession(string Name, AdminRole Role, string? CommunityId, string? WorkerId)
{
    public const string CommunityClaim = "cb:community";
    public const string WorkerClaim = "cb:worker";
    /// <summary>The account's <see cref="AdminUser.SecurityStamp"/> at sign-in; the session ends when it changes.</summary>
    public const string StampClaim = "cb:stamp";

    public bool SeesAllTickets => Role is AdminRole.Admin or AdminRole.Street;

    public bool MayEditFaq => Role is AdminRole.Admin or AdminRole.Street or AdminRole.Community;

    /// <summary>Notices (停水/停电): community staff for their own community, admin and street office for all.</summary>
    public bool MayManageNotices => Role is AdminRole.Admin or AdminRole.Street or AdminRole.Community;

    public static AdminSession From(ClaimsPrincipal principal) => new(
        principal.Identity?.Name ?? "",
        Enum.TryParse<AdminRole>(principal.FindFirstValue(ClaimTypes.Role), out var role) ? role : AdminRole.Worker,
        principal.FindFirstValue(CommunityClaim),
        principal.FindFirstValue(WorkerClaim));

    public static ClaimsPrincipal ToPrincipal(AdminUser user, string scheme)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, user.Name), new(ClaimTypes.Role, user.Role.ToString()), new(StampClaim, user.SecurityStamp) };
        if (user.CommunityId is { Length: > 0 } community)
        {
            claims.Add(new Claim(CommunityClaim, community));
        }

        if (user.WorkerId is { Length: > 0 } worker)
        {
            claims.Add(new Claim(WorkerClaim, worker));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    /// <summary>
    /// The cookie handler's check on every request: a session whose account is gone, or whose password, role or scope
    /// was set again since it signed in (a new stamp), is signed out, so it keeps none of the rights it had.
    /// </summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var users = context.HttpContext.RequestServices.GetRequiredService<AdminUserStore>();
        if (context.Principal?.Identity?.Name is { Length: > 0 } name
            && context.Principal.FindFirstValue(StampClaim) is { } stamp
            && users.IsSessionCurrent(name, stamp))
        {
            return;
        }

        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(context.Scheme.Name);
    }

    public static string Chinese(AdminRole role) => role switch
    {
        AdminRole.Admin => "管理员",
        AdminRole.Street => "街道",
        AdminRole.Community => "社区",
        _ => "网格员",
    };
}
