using System.Globalization;
using CommunityBot.Dialogs.Grievance;
using CommunityBot.Directory;
using CommunityBot.Notices;

namespace CommunityBot.Admin;

/// <summary>
/// The notice pages (停水/停电 …): the list (in force, upcoming, past), posting one for buildings of one community,
/// the detail with the residents' reports that joined it, editing one that has not ended, and withdrawing. Community staff manage only their own
/// community's notices; admin and street office every community's.
/// </summary>
public static partial class NoticeAdminEndpoints
{
    private const string TimeFormat = "yyyy-MM-ddTHH:mm";

    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/notices", List);
        group.MapGet("/notices/new", NewPage);
        group.MapPost("/notices/new", CreateAsync);
        group.MapGet("/notices/{id:int}", Detail);
        group.MapGet("/notices/{id:int}/edit", EditPage);
        group.MapPost("/notices/{id:int}/edit", EditAsync);
        group.MapPost("/notices/{id:int}/withdraw", WithdrawAsync);
    }

    private static IResult List(HttpContext http, NoticeStore store, GridDirectory directory, AdminFormat format, TimeProvider time)
    {
        var user = AdminSession.From(http.User);
        var now = time.GetUtcNow().UtcDateTime;
        var visible = store.All().Where(n => MayManage(user, n)).ToList();
        Html Section(string id, string title, IEnumerable<Notice> notices)
        {
            var rows = notices.Select(n => Html.Of($"""
                <tr>
                  <td data-label="标题"><a href="/admin/notices/{n.Id}">{n.Title}</a>{(n.WithdrawnUtc is null ? Html.Empty : Html.Raw(" <span class=\"muted\">（已撤回）</span>"))}</td>
                  <td data-label="社区">{CommunityName(directory, n.CommunityId)}</td>
                  <td data-label="范围">{n.Where}</td>
                  <td data-label="时间">{format.Time(n.StartUtc)} 至 {format.Time(n.EndUtc)}</td>
                  <td data-label="居民反映">{n.Reports.Count}</td>
                </tr>
                """)).ToList();
            return Html.Of($"""
                <h2>{title}</h2>
                {(rows.Count == 0
                    ? Html.Of($"""<p class="muted" id="{id}">没有。</p>""")
                    : Html.Of($"""
                        <table class="responsive" id="{id}">
                          <thead><tr><th>标题</th><th>社区</th><th>范围</th><th>时间</th><th>居民反映</th></tr></thead>
                          <tbody>{Html.Join(rows)}</tbody>
                        </table>
                        """))}
                """);
        }

        return AdminLayout.Page(http, "通知", Html.Of($"""
            <p><a class="button" href="/admin/notices/new">发布通知</a></p>
            <p class="muted">通知生效期间，居民问到相关情况（如“怎么停水了”）助手直接用通知回答；范围内的同类报修记在通知上，不生成工单。</p>
            {Section("notices-active", "进行中", visible.Where(n => n.IsInForce(now)).OrderBy(n => n.EndUtc))}
            {Section("notices-upcoming", "未开始", visible.Where(n => n.WithdrawnUtc is null && n.StartUtc > now).OrderBy(n => n.StartUtc))}
            {Section("notices-past", "已结束或撤回", visible.Where(n => n.WithdrawnUtc is not null || n.EndUtc <= now).Take(100))}
            """));
    }

    private static IResult NewPage(HttpContext http, GridDirectory directory, AdminFormat format, TimeProvider time, string? community)
    {
        var user = AdminSession.From(http.User);
        var chosen = user.Role == AdminRole.Community ? user.CommunityId : community;
        var today = TimeZoneInfo.ConvertTime(time.GetUtcNow(), format.Zone);
        var form = new NoticeForm
        {
            CommunityId = chosen ?? "",
            Category = "水电气暖",
            Start = today.ToString(TimeFormat, CultureInfo.InvariantCulture),
            End = today.AddHours(8).ToString(TimeFormat, CultureInfo.InvariantCulture),
        };
        return Form(http, directory, form, problems: [], StatusCodes.Status200OK);
    }

    private static async Task<IResult> CreateAsync(
        HttpContext http, IFormCollection posted, NoticeStore store, GridDirectory directory, AdminFormat format, TimeProvider time, ILoggerFactory loggers)
    {
        var user = AdminSession.From(http.User);
        var form = NoticeForm.Read(posted);
        if (user.Role == AdminRole.Community && form.CommunityId != user.CommunityId)
        {
            form.CommunityId = user.CommunityId ?? "";
            return Form(http, directory, form, ["只能为本社区发布通知。"], StatusCodes.Status403Forbidden);
        }

        var problems = new List<string>();
        var notice = Validate(form, directory.Current, format.Zone, time.GetUtcNow().UtcDateTime, problems);
        if (notice is null)
        {
            // Everything typed is shown again with every problem at once, so nothing is lost.
            return Form(http, directory, form, problems, StatusCodes.Status400BadRequest);
        }

        notice.Author = user.Name;
        notice.CreatedUtc = time.GetUtcNow().UtcDateTime;
        await store.CreateAsync(notice);
        LogPosted(loggers.CreateLogger(typeof(NoticeAdminEndpoints).FullName!), notice.Id, notice.CommunityId, user.Name);
        return Results.Redirect($"/admin/notices/{notice.Id}?done=posted");
    }

    private static IResult Detail(HttpContext http, int id, NoticeStore store, GridDirectory directory, AdminFormat format, TimeProvider time, string? done) =>
        DetailPage(http, id, store, directory, format, time, done switch
        {
            "posted" => "已发布，助手已开始用这条通知回答居民。",
            "withdrawn" => "已撤回，助手不再用这条通知回答居民。",
            "edited" => "已保存，助手已改用修改后的内容回答居民。",
            _ => null,
        });

    private static IResult EditPage(HttpContext http, int id, NoticeStore store, GridDirectory directory, AdminFormat format, TimeProvider time)
    {
        var user = AdminSession.From(http.User);
        if (store.Find(id) is not { } notice || !MayManage(user, notice))
        {
            return NotFound(http, id);
        }

        return IsEditable(notice, time.GetUtcNow().UtcDateTime)
            ? Form(http, directory, NoticeForm.From(notice, format.Zone), problems: [], StatusCodes.Status200OK, editing: notice.Id)
            : DetailPage(http, id, store, directory, format, time, null, NotEditable, StatusCodes.Status409Conflict);
    }

    /// <summary>
    /// 编辑: the posting form's checks on the new content, then one write that replaces the content and keeps the reports
    /// that joined. The community stays the notice's own (another community's notice is a different notice).
    /// </summary>
    private static async Task<IResult> EditAsync(
        HttpContext http, int id, IFormCollection posted, NoticeStore store, GridDirectory directory, AdminFormat format, TimeProvider time,
        ILoggerFactory loggers)
    {
        var user = AdminSession.From(http.User);
        if (store.Find(id) is not { } existing || !MayManage(user, existing))
        {
            return NotFound(http, id);
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (!IsEditable(existing, now))
        {
            return DetailPage(http, id, store, directory, format, time, null, NotEditable, StatusCodes.Status409Conflict);
        }

        var form = NoticeForm.Read(posted);
        form.CommunityId = existing.CommunityId;
        var problems = new List<string>();
        if (Validate(form, directory.Current, format.Zone, now, problems) is not { } changed)
        {
            return Form(http, directory, form, problems, StatusCodes.Status400BadRequest, editing: id);
        }

        var saved = await store.UpdateAsync(id, n =>
        {
            // Re-checked on the writer thread: it may have been withdrawn while the form was open.
            if (!IsEditable(n, now))
            {
                return false;
            }

            n.Title = changed.Title;
            n.Text = changed.Text;
            n.Category = changed.Category;
            n.Keywords = changed.Keywords;
            n.Places = changed.Places;
            n.StartUtc = changed.StartUtc;
            n.EndUtc = changed.EndUtc;
            n.EditedUtc = now;
            n.EditedBy = user.Name;
            return true;
        });
        if (saved is null)
        {
            return DetailPage(http, id, store, directory, format, time, null, NotEditable, StatusCodes.Status409Conflict);
        }

        LogEdited(loggers.CreateLogger(typeof(NoticeAdminEndpoints).FullName!), id, user.Name);
        return Results.Redirect($"/admin/notices/{id}?done=edited");
    }

    private const string NotEditable = "这条通知已经结束或撤回，不能编辑。如需再次通知，请发布新通知。";

    private static bool IsEditable(Notice notice, DateTime nowUtc) => notice.WithdrawnUtc is null && notice.EndUtc > nowUtc;

    private static async Task<IResult> WithdrawAsync(
        HttpContext http, int id, NoticeStore store, GridDirectory directory, AdminFormat format, TimeProvider time, ILoggerFactory loggers)
    {
        var user = AdminSession.From(http.User);
        if (store.Find(id) is not { } existing || !MayManage(user, existing))
        {
            return NotFound(http, id);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var withdrawn = await store.UpdateAsync(id, n =>
        {
            if (n.WithdrawnUtc is not null || n.EndUtc <= now)
            {
                return false;
            }

            n.WithdrawnUtc = now;
            n.WithdrawnBy = user.Name;
            return true;
        });
        if (withdrawn is null)
        {
            return DetailPage(http, id, store, directory, format, time, null, "这条通知已经结束或撤回。", StatusCodes.Status409Conflict);
        }

        LogWithdrawn(loggers.CreateLogger(typeof(NoticeAdminEndpoints).FullName!), id, user.Name);
        return Results.Redirect($"/admin/notices/{id}?done=withdrawn");
    }

    private static IResult DetailPage(
        HttpContext http, int id, NoticeStore store, GridDirectory directory, AdminFormat format, TimeProvider time, string? done, string? error = null,
        int statusCode = StatusCodes.Status200OK)
    {
        var user = AdminSession.From(http.User);
        if (store.Find(id) is not { } notice || !MayManage(user, notice))
        {
            return NotFound(http, id);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var state = notice switch
        {
            { WithdrawnUtc: { } at } => $"已撤回（{format.Time(at)}，{notice.WithdrawnBy}）",
            _ when notice.EndUtc <= now => "已结束",
            _ when notice.StartUtc > now => "未开始",
            _ => "进行中",
        };
        var reports = notice.Reports.OrderBy(r => r.AtUtc).Select(r => Html.Of($"""
            <tr>
              <td data-label="时间">{format.Time(r.AtUtc)}</td>
              <td data-label="居民">{r.ReporterName}</td>
              <td data-label="位置">{r.Location}</td>
              <td data-label="情况">{r.Description}</td>
            </tr>
            """));
        var withdraw = IsEditable(notice, now)
            ? Html.Of($"""
                <p><a class="button" href="/admin/notices/{notice.Id}/edit" id="notice-edit-link">编辑</a></p>
                <form method="post" action="/admin/notices/{notice.Id}/withdraw" class="card" id="notice-withdraw">
                  {AdminLayout.Csrf(http)}
                  <p class="muted">撤回后助手不再用这条通知回答，之后的同类报修照常生成工单。</p>
                  <button type="submit" class="secondary">撤回通知</button>
                </form>
                """)
            : Html.Empty;
        return AdminLayout.Page(http, "通知：" + notice.Title, Html.Of($"""
            {AdminLayout.Message(done)}
            {AdminLayout.Message(error, error: true)}
            <div class="card">
              <table id="notice-facts">
                <tr><th>状态</th><td id="notice-state">{state}</td></tr>
                <tr><th>社区</th><td>{CommunityName(directory, notice.CommunityId)}</td></tr>
                <tr><th>范围</th><td>{notice.Where}</td></tr>
                <tr><th>时间</th><td>{format.Time(notice.StartUtc)} 至 {format.Time(notice.EndUtc)}</td></tr>
                <tr><th>分类</th><td>{notice.Category}</td></tr>
                <tr><th>关键词</th><td>{string.Join("、", notice.Keywords)}</td></tr>
                <tr><th>内容</th><td>{notice.Text}</td></tr>
                <tr><th>发布</th><td>{notice.Author}，{format.Time(notice.CreatedUtc)}</td></tr>
                {(notice.EditedUtc is { } edited ? Html.Of($"""<tr><th>编辑</th><td id="notice-edited">已编辑（{format.Time(edited)}，{notice.EditedBy}）</td></tr>""") : Html.Empty)}
              </table>
            </div>
            {withdraw}
            <h2>居民反映（<span id="notice-report-count">{notice.Reports.Count}</span>）</h2>
            <p class="muted">范围内报同类问题的居民记在这里，没有生成工单；仅工作人员可见。</p>
            <table class="responsive" id="notice-reports">
              <thead><tr><th>时间</th><th>居民</th><th>位置</th><th>情况</th></tr></thead>
              <tbody>{reports}</tbody>
            </table>
            <p><a href="/admin/notices">返回通知列表</a></p>
            """), statusCode);
    }

    /// <summary>Checks the form against the directory; returns the notice to store, or null with <paramref name="problems"/> filled.</summary>
    private static Notice? Validate(NoticeForm form, DirectorySnapshot directory, TimeZoneInfo zone, DateTime nowUtc, List<string> problems)
    {
        if (!directory.Communities.ContainsKey(form.CommunityId))
        {
            problems.Add("请选择社区。");
        }
        if (form.Title.Length == 0)
        {
            problems.Add("请填写标题。");
        }
        else if (form.Title.Length > 60)
        {
            problems.Add("标题不能超过 60 个字。");
        }
        if (form.Text.Length == 0)
        {
            problems.Add("请填写通知内容。");
        }
        if (!GrievanceCategories.Default.Contains(form.Category))
        {
            problems.Add("请选择分类。");
        }

        var places = new List<NoticePlace>();
        foreach (var compoundId in form.Compounds)
        {
            if (!directory.Compounds.TryGetValue(compoundId, out var compound) || compound.Community != form.CommunityId)
            {
                problems.Add($"小区 {compoundId} 不属于所选社区。");
                continue;
            }

            var typed = form.BuildingsOf(compoundId);
            var buildings = BuildingName.ParseList(typed);
            if (buildings is null)
            {
                problems.Add($"{compound.Name}的楼栋“{typed}”无法识别（例如 1-6号楼、9号楼；留空表示全小区）。");
                continue;
            }
            var unknown = buildings.Where(b => !compound.Buildings.Contains(b, StringComparer.Ordinal)).ToList();
            if (unknown.Count > 0)
            {
                problems.Add($"{compound.Name}没有{string.Join("、", unknown)}。");
                continue;
            }
            places.Add(new NoticePlace { CompoundId = compound.Id, CompoundName = compound.Name, Buildings = buildings.Distinct(StringComparer.Ordinal).ToList() });
        }
        if (form.Compounds.Count == 0 && directory.Communities.ContainsKey(form.CommunityId))
        {
            problems.Add("请至少选择一个小区。");
        }

        var start = ParseTime(form.Start, "开始时间", zone, problems);
        var end = ParseTime(form.End, "结束时间", zone, problems);
        if (start is not null && end is not null)
        {
            if (end <= start)
            {
                problems.Add("结束时间必须晚于开始时间。");
            }
            else if (end <= nowUtc)
            {
                problems.Add("结束时间已经过去，这条通知不会生效。");
            }
        }

        var keywords = NoticeKeywords.Defaults(form.Category, form.Title).Concat(NoticeKeywords.Parse(form.Keywords)).Distinct(StringComparer.Ordinal).ToList();
        if (keywords.Count == 0 && form.Category.Length > 0)
        {
            problems.Add("请填写关键词：居民会怎么说，例如“停梯、电梯停了”。");
        }

        return problems.Count > 0 ? null : new Notice
        {
            Title = form.Title,
            Text = form.Text,
            Category = form.Category,
            Keywords = keywords,
            CommunityId = form.CommunityId,
            Places = places,
            StartUtc = start!.Value,
            EndUtc = end!.Value,
        };
    }

    private static DateTime? ParseTime(string value, string label, TimeZoneInfo zone, List<string> problems)
    {
        if (DateTime.TryParseExact(value, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone);
        }

        problems.Add(value.Length == 0 ? $"请填写{label}。" : $"{label}“{value}”不是有效的时间（格式 2026-11-24T08:00）。");
        return null;
    }

    /// <summary>The posting form; with <paramref name="editing"/> the same form for that notice (编辑), its community fixed.</summary>
    private static IResult Form(HttpContext http, GridDirectory directory, NoticeForm form, List<string> problems, int statusCode, int? editing = null)
    {
        var user = AdminSession.From(http.User);
        var snapshot = directory.Current;
        var communities = snapshot.Data.Communities.Where(c => user.Role != AdminRole.Community || c.Id == user.CommunityId);
        // Choosing the community reloads the page with its compounds (a plain GET form: no script needed on a phone).
        var communityPicker = user.Role == AdminRole.Community || editing is not null
            ? Html.Of($"""<p>社区：{CommunityName(directory, form.CommunityId)}</p>""")
            : Html.Of($"""
                <form method="get" action="/admin/notices/new" class="card filters" id="notice-community">
                  <div><label for="community">社区</label><select id="community" name="community"><option value="">请选择</option>{communities.Select(c => Html.Of($"""<option value="{c.Id}"{Selected(c.Id == form.CommunityId)}>{c.Name}</option>"""))}</select></div>
                  <div><button type="submit" class="secondary">选择</button></div>
                </form>
                """);
        var compounds = snapshot.Data.Compounds.Where(c => c.Community == form.CommunityId).Select(c => Html.Of($"""
            <tr>
              <td data-label="小区"><label><input type="checkbox" name="compound" value="{c.Id}"{Html.Raw(form.Compounds.Contains(c.Id) ? " checked" : "")}> {c.Name}</label></td>
              <td data-label="楼栋"><input type="text" name="buildings.{c.Id}" value="{form.BuildingsOf(c.Id)}" placeholder="留空表示全小区；如 1-6号楼、9号楼" aria-label="{c.Name}的楼栋"></td>
              <td data-label="现有楼栋" class="muted">{BuildingName.FormatList(c.Buildings)}</td>
            </tr>
            """)).ToList();
        var body = !snapshot.Communities.ContainsKey(form.CommunityId) && problems.Count == 0
            ? Html.Of($"""{AdminLayout.Message(problems.Count > 0 ? string.Join(" ", problems) : null, error: true)}<p class="muted">先选择社区。</p>""")
            : Html.Of($"""
                {AdminLayout.Message(problems.Count > 0 ? string.Join(" ", problems) : null, error: true)}
                <form method="post" action="{(editing is { } id ? $"/admin/notices/{id}/edit" : "/admin/notices/new")}" class="card" id="{(editing is null ? "notice-new" : "notice-edit")}">
                  {AdminLayout.Csrf(http)}
                  <input type="hidden" name="community" value="{form.CommunityId}">
                  <label for="title">标题</label>
                  <input type="text" id="title" name="title" value="{form.Title}" maxlength="60" placeholder="如：幸福里小区停水通知" required>
                  <label for="category">分类</label>
                  <select id="category" name="category">{GrievanceCategories.Default.Select(c => Html.Of($"""<option value="{c}"{Selected(c == form.Category)}>{c}</option>"""))}</select>
                  <label>范围（勾选小区；楼栋留空表示全小区）</label>
                  <table class="responsive" id="notice-places">
                    <thead><tr><th>小区</th><th>楼栋</th><th>现有楼栋</th></tr></thead>
                    <tbody>{Html.Join(compounds)}</tbody>
                  </table>
                  <label for="start">开始时间</label>
                  <input type="datetime-local" id="start" name="start" value="{form.Start}">
                  <label for="end">结束时间</label>
                  <input type="datetime-local" id="end" name="end" value="{form.End}">
                  <label for="text">通知内容（居民问到时助手原样回复，请勿写个人信息）</label>
                  <textarea id="text" name="text" rows="5" required>{form.Text}</textarea>
                  <label for="keywords">补充关键词（可选；居民会怎么说，用逗号或空格分开。停水、停电等常用词会按分类和标题自动加上）</label>
                  <input type="text" id="keywords" name="keywords" value="{form.Keywords}">
                  <p><button type="submit">{(editing is null ? "发布" : "保存")}</button> <a href="{(editing is { } back ? $"/admin/notices/{back}" : "/admin/notices")}">取消</a></p>
                </form>
                """);
        return AdminLayout.Page(http, editing is null ? "发布通知" : "编辑通知", Html.Of($"{communityPicker}{body}"), statusCode);
    }

    private static bool MayManage(AdminSession user, Notice notice) =>
        user.SeesAllTickets || (user.Role == AdminRole.Community && notice.CommunityId == user.CommunityId);

    private static string CommunityName(GridDirectory directory, string communityId) =>
        directory.Current.Communities.GetValueOrDefault(communityId)?.Name ?? communityId;

    private static Html Selected(bool selected) => Html.Raw(selected ? " selected" : "");

    private static IResult NotFound(HttpContext http, int id) =>
        AdminLayout.Page(http, "找不到通知", AdminLayout.Message($"没有编号为 {id} 的通知，或您无权查看。", error: true), StatusCodes.Status404NotFound);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin console: notice {NoticeId} posted for community {CommunityId} by {Name}")]
    private static partial void LogPosted(ILogger logger, int noticeId, string communityId, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin console: notice {NoticeId} edited by {Name}")]
    private static partial void LogEdited(ILogger logger, int noticeId, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin console: notice {NoticeId} withdrawn by {Name}")]
    private static partial void LogWithdrawn(ILogger logger, int noticeId, string name);

    /// <summary>What the create form carries, kept as typed so a rejected form comes back unchanged.</summary>
    private sealed class NoticeForm
    {
        private Dictionary<string, string> _buildings = new(StringComparer.Ordinal);

        public string CommunityId { get; set; } = "";
        public string Title { get; init; } = "";
        public string Text { get; init; } = "";
        public string Category { get; init; } = "";
        public string Keywords { get; init; } = "";
        public string Start { get; init; } = "";
        public string End { get; init; } = "";
        public List<string> Compounds { get; init; } = [];

        public string BuildingsOf(string compoundId) => _buildings.GetValueOrDefault(compoundId, "");

        /// <summary>A stored notice as the form shows it; the extra keywords are those the defaults would not add again.</summary>
        public static NoticeForm From(Notice notice, TimeZoneInfo zone)
        {
            var defaults = NoticeKeywords.Defaults(notice.Category, notice.Title);
            string Local(DateTime utc) =>
                TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone).ToString(TimeFormat, CultureInfo.InvariantCulture);
            return new NoticeForm
            {
                CommunityId = notice.CommunityId,
                Title = notice.Title,
                Text = notice.Text,
                Category = notice.Category,
                Keywords = string.Join("、", notice.Keywords.Where(k => !defaults.Contains(k, StringComparer.Ordinal))),
                Start = Local(notice.StartUtc),
                End = Local(notice.EndUtc),
                Compounds = notice.Places.Select(p => p.CompoundId).ToList(),
                _buildings = notice.Places.ToDictionary(p => p.CompoundId, p => BuildingName.FormatList(p.Buildings), StringComparer.Ordinal),
            };
        }

        public static NoticeForm Read(IFormCollection form) => new()
        {
            CommunityId = form["community"].ToString().Trim(),
            Title = form["title"].ToString().Trim(),
            Text = form["text"].ToString().Trim(),
            Category = form["category"].ToString().Trim(),
            Keywords = form["keywords"].ToString().Trim(),
            Start = form["start"].ToString().Trim(),
            End = form["end"].ToString().Trim(),
            Compounds = form["compound"].Where(c => !string.IsNullOrEmpty(c)).Select(c => c!).Distinct(StringComparer.Ordinal).ToList(),
            _buildings = form.Keys.Where(k => k.StartsWith("buildings.", StringComparison.Ordinal))
                .ToDictionary(k => k["buildings.".Length..], k => form[k].ToString().Trim(), StringComparer.Ordinal),
        };
    }
}
