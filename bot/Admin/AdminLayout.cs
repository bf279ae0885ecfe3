using Microsoft.AspNetCore.Antiforgery;

namespace CommunityBot.Admin;

/// <summary>The console's page frame (head, navigation, sign-out) and the CSRF field every form carries.</summary>
public static class AdminLayout
{
    public static IResult Page(HttpContext http, string title, Html body, int statusCode = StatusCodes.Status200OK)
    {
        var user = http.User.Identity?.IsAuthenticated == true ? AdminSession.From(http.User) : null;
        var nav = user is null
            ? Html.Empty
            : Html.Of($"""
                <nav class="top">
                  <a class="brand" href="/admin">社区助手管理台</a>
                  <a href="/admin/tickets">工单</a>
                  {Html.When(user.MayEditFaq, Html.Of($"""<a href="/admin/faq">知识库</a><a href="/admin/misses">未答问题</a><a href="/admin/dashboard">考核看板</a><a href="/admin/broadcasts">群发通知</a><a href="/admin/groups">群管理</a><a href="/admin/directory">网格目录</a>"""))}
                  {Html.When(user.MayManageNotices, Html.Raw("""<a href="/admin/notices">通知</a>"""))}
                  {Html.When(user.SeesAllTickets, Html.Raw("""<a href="/admin/outbox">投递情况</a><a href="/admin/status">运行状态</a>"""))}
                  <span class="who">{user.Name}（{AdminSession.Chinese(user.Role)}）</span>
                  <form method="post" action="/admin/logout" class="inline">{Csrf(http)}<button type="submit" class="link">退出</button></form>
                </nav>
                """);
        var page = Html.Of($"""
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title} - 社区助手管理台</title>
            <link rel="stylesheet" href="/admin/admin.css">
            </head>
            <body>
            {nav}
            <main>
            <h1>{title}</h1>
            {body}
            </main>
            </body>
            </html>
            """);
        return Results.Content(page.Value, "text/html; charset=utf-8", statusCode: statusCode);
    }

    /// <summary>The hidden antiforgery field; the token pair's cookie is set on the same response.</summary>
    public static Html Csrf(HttpContext http)
    {
        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        return Html.Of($"""<input type="hidden" name="{tokens.FormFieldName}" value="{tokens.RequestToken}">""");
    }

    public static Html Message(string? text, bool error = false) =>
        string.IsNullOrEmpty(text) ? Html.Empty : Html.Of($"""<p class="{(error ? "error" : "notice")}" role="{(error ? "alert" : "status")}">{text}</p>""");
}
