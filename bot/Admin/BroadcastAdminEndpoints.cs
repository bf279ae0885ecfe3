using CommunityBot.Broadcasts;
using CommunityBot.Directory;
using CommunityBot.Storage;

namespace CommunityBot.Admin;

/// <summary>
/// Broadcasts: compose a policy message, choose groups (by community, or all), confirm the count, and the outbox
/// delivers one message per group at each channel's pace; the history shows how far each one got. The groups page
/// ties the groups the bot has seen to a community (and compound) of the directory. Admin and street staff reach
/// every group; community staff only their community's groups and may not re-assign groups.
/// </summary>
public static class BroadcastAdminEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/broadcasts", History);
        group.MapGet("/broadcasts/new", Compose);
        group.MapPost("/broadcasts/new", Recompose);
        group.MapPost("/broadcasts/confirm", Confirm);
        group.MapPost("/broadcasts/send", SendAsync);
        group.MapGet("/groups", Groups);
        group.MapPost("/groups/assign", AssignAsync);
    }

    private static IResult History(HttpContext http, BroadcastService broadcasts, GroupRegistry groups, AdminFormat format, string? sent, string? again)
    {
        var user = AdminSession.From(http.User);
        var mine = Reachable(user, groups).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var recent = broadcasts.Recent(100).Where(b => user.SeesAllTickets || b.GroupKeys.Any(mine.Contains)).ToList();
        // Community staff see how their own groups fared, not the other communities' groups of the same broadcast.
        var progress = broadcasts.Progress(recent, user.SeesAllTickets ? null : mine);
        var message = sent is not { Length: > 0 } ? null
            : again == "1" ? $"这条通知已经发送过（{sent}），没有重复发送。"
            : $"通知 {sent} 已进入发送队列，将按各渠道的频率限制陆续送达。";
        var rows = recent.Select(b => Html.Of($"""
            <tr>
              <td data-label="时间">{format.Time(b.CreatedAt)}</td>
              <td data-label="发送人">{b.Author}</td>
              <td data-label="内容">{Preview(b.Text)}</td>
              <td data-label="群数">{progress[b.Id].Groups}</td>
              <td data-label="已送达">{progress[b.Id].Delivered}</td>
              <td data-label="待发送">{progress[b.Id].Pending}</td>
              <td data-label="失败">{progress[b.Id].Failed}</td>
            </tr>
            """));
        return AdminLayout.Page(http, "群发通知", Html.Of($"""
            {AdminLayout.Message(message)}
            <p><a class="button" href="/admin/broadcasts/new">新建群发</a> <a href="/admin/groups">管理群</a></p>
            <table class="responsive" id="broadcasts">
              <thead><tr><th>时间</th><th>发送人</th><th>内容</th><th>群数</th><th>已送达</th><th>待发送</th><th>失败</th></tr></thead>
              <tbody>{rows}</tbody>
            </table>
            """));
    }

    private static IResult Compose(HttpContext http, GroupRegistry groups, GridDirectory directory) =>
        ComposeForm(http, groups, directory, "", null, [], null, StatusCodes.Status200OK);

    // Filtering, 全选 and 返回修改 post back here with what was typed and ticked, so nothing is lost, and neither the
    // draft nor the antiforgery token ends up in a URL (browser history, proxy and server logs).
    private static IResult Recompose(HttpContext http, IFormCollection form, GroupRegistry groups, GridDirectory directory)
    {
        var (text, community, keys) = Read(form);
        return ComposeForm(http, groups, directory, text, community, form["all"] == "1" ? null : keys, null, StatusCodes.Status200OK);
    }

    /// <param name="chosen">The keys to tick; null ticks every group shown.</param>
    private static IResult ComposeForm(
        HttpContext http, GroupRegistry groups, GridDirectory directory, string text, string? community, IReadOnlyCollection<string>? chosen, string? error, int statusCode)
    {
        var user = AdminSession.From(http.User);
        var shown = Reachable(user, groups).Where(g => string.IsNullOrEmpty(community) || g.CommunityId == community).ToList();
        var communities = directory.Current.Data.Communities.Where(c => user.SeesAllTickets || c.Id == user.CommunityId);
        var options = Html.Join(communities.Select(c => Html.Of($"""<option value="{c.Id}"{Html.Raw(c.Id == community ? " selected" : "")}>{c.Name}</option>""")));
        var boxes = Html.Join(shown.Select(g => Html.Of($"""
            <label><input type="checkbox" name="group" value="{g.Key}"{Html.Raw(chosen is null || chosen.Contains(g.Key) ? " checked" : "")}> {g.Label} <span class="muted">{CommunityName(directory, g.CommunityId)} · {g.Channel}</span></label>
            """)));
        return AdminLayout.Page(http, "新建群发", Html.Of($"""
            {AdminLayout.Message(error, error: true)}
            <form method="post" action="/admin/broadcasts/confirm" class="card" id="broadcast-compose">
              {AdminLayout.Csrf(http)}
              <label for="text">通知内容（不超过 {BroadcastService.MaxLength} 字）</label>
              <textarea id="text" name="text" rows="6" maxlength="{BroadcastService.MaxLength}">{text}</textarea>
              <div class="filters">
                <div><label for="community">按社区筛选</label><select id="community" name="community"><option value="">全部</option>{options}</select></div>
                <div><button type="submit" class="secondary" formaction="/admin/broadcasts/new">筛选</button>
                <button type="submit" class="secondary" formaction="/admin/broadcasts/new" name="all" value="1">全选</button></div>
              </div>
              <fieldset><legend>发送到（{shown.Count} 个群）</legend>{(shown.Count == 0 ? Html.Of($"<p class=\"muted\">没有可选的群。助手在群里收到过消息后，群才会出现在这里。</p>") : boxes)}</fieldset>
              <p><button type="submit">下一步：确认</button> <a href="/admin/broadcasts">取消</a></p>
            </form>
            """), statusCode);
    }

    private static IResult Confirm(HttpContext http, IFormCollection form, GroupRegistry groups, GridDirectory directory)
    {
        var (text, community, keys) = Read(form);
        if (Problem(http, groups, text, keys, out _) is { } problem)
        {
            return ComposeForm(http, groups, directory, text, community, keys, problem, StatusCodes.Status400BadRequest);
        }

        var hidden = Html.Join(keys.Select(k => Html.Of($"""<input type="hidden" name="group" value="{k}">""")));
        return AdminLayout.Page(http, "确认群发", Html.Of($"""
            <form method="post" action="/admin/broadcasts/send" class="card" id="broadcast-confirm">
              {AdminLayout.Csrf(http)}
              <p>将把下面的通知发送到 <strong id="group-count">{keys.Count}</strong> 个群：</p>
              <blockquote>{text}</blockquote>
              <input type="hidden" name="text" value="{text}">
              <input type="hidden" name="community" value="{community}">
              <input type="hidden" name="request" value="{Guid.NewGuid():N}">
              {hidden}
              <p><button type="submit">确认发送</button>
              <button type="submit" class="secondary" formaction="/admin/broadcasts/new">返回修改</button></p>
            </form>
            """));
    }

    private static async Task<IResult> SendAsync(HttpContext http, IFormCollection form, GroupRegistry groups, GridDirectory directory, BroadcastService broadcasts)
    {
        var (text, community, keys) = Read(form);
        if (Problem(http, groups, text, keys, out var chosen) is { } problem)
        {
            return ComposeForm(http, groups, directory, text, community, keys, problem, StatusCodes.Status400BadRequest);
        }

        // The confirm form's one-time id: a second post of the same form (a double click, a reload) finds the first
        // broadcast instead of sending again. A post without one (not from the confirm form) is always a new broadcast.
        var request = Blank(form["request"].ToString()) ?? Guid.NewGuid().ToString("N");
        var (broadcast, isNew) = await broadcasts.SendAsync(AdminSession.From(http.User).Name, text, chosen, request);
        return Results.Redirect("/admin/broadcasts?sent=" + Uri.EscapeDataString(broadcast.Id) + (isNew ? "" : "&again=1"));
    }

    private static IResult Groups(HttpContext http, GroupRegistry groups, GridDirectory directory, AdminFormat format, string? saved) =>
        GroupsPage(http, groups, directory, format, saved is { Length: > 0 } ? "已保存。" : null, null, StatusCodes.Status200OK);

    private static IResult GroupsPage(HttpContext http, GroupRegistry groups, GridDirectory directory, AdminFormat format, string? notice, string? error, int statusCode)
    {
        var user = AdminSession.From(http.User);
        var data = directory.Current.Data;
        Html Options<T>(IEnumerable<T> items, Func<T, string> id, Func<T, string> name, string? selected) =>
            Html.Join(items.Select(i => Html.Of($"""<option value="{id(i)}"{Html.Raw(id(i) == selected ? " selected" : "")}>{name(i)}</option>""")));
        var rows = Reachable(user, groups).Select(g => Html.Of($"""
            <tr>
              <td data-label="群">{g.Label}<div class="muted">{g.Channel} · {g.ConversationId}</div></td>
              <td data-label="最近活动">{format.Time(g.LastSeen)}</td>
              <td data-label="所属">{(user.SeesAllTickets
                ? Html.Of($"""
                  <form method="post" action="/admin/groups/assign" class="assign">
                    {AdminLayout.Csrf(http)}
                    <input type="hidden" name="key" value="{g.Key}">
                    <input type="text" name="name" value="{g.Name}" placeholder="群名称" maxlength="60">
                    <select name="community"><option value="">（未分配社区）</option>{Options(data.Communities, c => c.Id, c => c.Name, g.CommunityId)}</select>
                    <select name="compound"><option value="">（不限小区）</option>{Options(data.Compounds, c => c.Id, c => c.Name, g.CompoundId)}</select>
                    <button type="submit">保存</button>
                  </form>
                  """)
                : Html.Of($"{CommunityName(directory, g.CommunityId)} {(g.CompoundId is { } compound && data.Compounds.Find(c => c.Id == compound) is { } found ? found.Name : "")}"))}</td>
            </tr>
            """));
        return AdminLayout.Page(http, "群管理", Html.Of($"""
            {AdminLayout.Message(notice)}
            {AdminLayout.Message(error, error: true)}
            <p class="muted">助手收到过消息的群会自动出现在这里。把群分配到社区后，就可以按社区群发。</p>
            <table class="responsive" id="groups">
              <thead><tr><th>群</th><th>最近活动</th><th>所属社区 / 小区</th></tr></thead>
              <tbody>{rows}</tbody>
            </table>
            """), statusCode);
    }

    private static async Task<IResult> AssignAsync(HttpContext http, IFormCollection form, GroupRegistry groups, GridDirectory directory, AdminFormat format, LiteDbWriter writer)
    {
        var user = AdminSession.From(http.User);
        if (!user.SeesAllTickets)
        {
            return GroupsPage(http, groups, directory, format, null, "只有街道和管理员可以分配群。", StatusCodes.Status403Forbidden);
        }

        var key = form["key"].ToString();
        var name = Blank(form["name"].ToString());
        var community = Blank(form["community"].ToString());
        var compound = Blank(form["compound"].ToString());
        var snapshot = directory.Current;
        var problem = (key, name, community, compound) switch
        {
            _ when groups.Find(key) is null => "找不到这个群。",
            { name.Length: > 60 } => "群名称不能超过 60 个字。",
            { community: { } c } when !snapshot.Communities.ContainsKey(c) => "所选社区不在网格目录中。",
            { compound: { } p } when !snapshot.Compounds.ContainsKey(p) => "所选小区不在网格目录中。",
            { compound: not null, community: null } => "选择小区前，请先选择社区。",
            { compound: { } p, community: { } c } when snapshot.Compounds[p].Community != c => $"{snapshot.Compounds[p].Name}不属于所选社区。",
            _ => null,
        };
        if (problem is not null)
        {
            return GroupsPage(http, groups, directory, format, null, problem, StatusCodes.Status400BadRequest);
        }

        await writer.WriteAsync(_ => groups.Assign(key, name, community, compound));
        return Results.Redirect("/admin/groups?saved=1");
    }

    private static (string Text, string? Community, List<string> Keys) Read(IFormCollection form) => (
        form["text"].ToString().Trim(),
        Blank(form["community"].ToString()),
        form["group"].Where(k => !string.IsNullOrEmpty(k)).Select(k => k!).Distinct(StringComparer.Ordinal).ToList());

    /// <summary>What is wrong with the request, or null; <paramref name="chosen"/> are the groups it names.</summary>
    private static string? Problem(HttpContext http, GroupRegistry groups, string text, List<string> keys, out List<ChatGroup> chosen)
    {
        var reachable = Reachable(AdminSession.From(http.User), groups).ToDictionary(g => g.Key, StringComparer.Ordinal);
        chosen = keys.Where(reachable.ContainsKey).Select(k => reachable[k]).ToList();
        return text.Length == 0 ? "请填写通知内容。"
            : text.Length > BroadcastService.MaxLength ? $"通知内容不能超过 {BroadcastService.MaxLength} 字（现在 {text.Length} 字）。"
            : keys.Count == 0 ? "请至少选择一个群。"
            : chosen.Count != keys.Count ? "所选的群有的不存在，或不在您可以发送的范围内。"
            : null;
    }

    /// <summary>The groups <paramref name="user"/> may send to: all for admin and street, their community's for community staff.</summary>
    private static IEnumerable<ChatGroup> Reachable(AdminSession user, GroupRegistry groups) =>
        groups.All().Where(g => user.SeesAllTickets || (user.Role == AdminRole.Community && g.CommunityId is not null && g.CommunityId == user.CommunityId));

    private static string CommunityName(GridDirectory directory, string? communityId) =>
        communityId is null ? "未分配社区" : directory.Current.Communities.TryGetValue(communityId, out var c) ? c.Name : communityId;

    private static string Preview(string text) => text.Length <= 60 ? text : text[..60] + "…";

    private static string? Blank(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
