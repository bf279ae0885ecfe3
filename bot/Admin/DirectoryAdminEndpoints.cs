using System.Globalization;
using System.Text.RegularExpressions;
using CommunityBot.Directory;
using Microsoft.Extensions.Options;

namespace CommunityBot.Admin;

/// <summary>
/// The grid directory in the console: communities, grids, compounds, workers, the duty roster and leave; edit a
/// worker's phone, channel ids and whether they take tickets, a duty shift or a leave period; import and export the
/// whole directory as the CLI's workbook. Every change replaces the directory through <see cref="GridDirectory"/>
/// (validated, one transaction), so routing uses it at once. Admin and street staff edit everything and import;
/// community staff see and edit their own community's workers, roster and leave.
/// </summary>
public static partial class DirectoryAdminEndpoints
{
    // An edit reads the directory, changes one row and replaces the whole: two edits at once must not lose one.
    private static readonly Lock EditLock = new();

    private static readonly string[] Weekdays = ["一", "二", "三", "四", "五", "六", "日"];

    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/directory", View);
        group.MapGet("/directory/worker", WorkerPage);
        group.MapPost("/directory/worker", SaveWorker);
        group.MapGet("/directory/shift", ShiftPage);
        group.MapPost("/directory/shift", SaveShift);
        group.MapGet("/directory/leave", LeavePage);
        group.MapPost("/directory/leave", SaveLeave);
        group.MapGet("/directory/import", ImportPage);
        group.MapPost("/directory/import", ImportAsync).WithMetadata(AdminUpload.Limit);
        group.MapGet("/directory/export", Export);
    }

    private static IResult View(HttpContext http, GridDirectory directory, IOptions<DirectoryOptions> options, string? saved)
    {
        var user = AdminSession.From(http.User);
        var snapshot = directory.Current;
        var zone = options.Value.ResolveTimeZone();
        string WorkerName(string? id) => id is not null && snapshot.Workers.TryGetValue(id, out var w) ? w.Name : id ?? "—";
        var sections = snapshot.Data.Communities.Where(c => MayEdit(user, c.Id)).Select(c =>
        {
            var grids = snapshot.Data.Grids.Where(g => g.Community == c.Id).ToList();
            var gridIds = grids.Select(g => g.Id).ToHashSet(StringComparer.Ordinal);
            var workers = snapshot.Data.Workers.Where(w => w.Community == c.Id).ToList();
            var workerIds = workers.Select(w => w.Id).ToHashSet(StringComparer.Ordinal);
            return Html.Of($"""
                <section class="card community" id="community-{c.Id}">
                <h2>{c.Name} <span class="muted">{c.Id}</span></h2>
                <h3>网格</h3>
                <ul>{Html.Join(grids.Select(g => Html.Of($"<li>{g.Name}（{g.Id}）：网格员 {WorkerName(g.WorkerId)}，替班 {WorkerName(g.DeputyWorkerId)}</li>")))}</ul>
                <h3>小区</h3>
                <ul>{Html.Join(snapshot.Data.Compounds.Where(p => p.Community == c.Id).Select(p => Html.Of($"<li>{p.Name}：{BuildingName.FormatList(p.Buildings)}</li>")))}</ul>
                <h3>人员</h3>
                <table class="responsive"><thead><tr><th>姓名</th><th>角色</th><th>电话</th><th>状态</th><th></th></tr></thead><tbody>
                {Html.Join(workers.Select(w => WorkerRow(w)))}
                </tbody></table>
                <h3>排班</h3>
                <table class="responsive"><thead><tr><th>网格</th><th>人员</th><th>星期</th><th>时间</th><th></th></tr></thead><tbody>
                {Html.Join(snapshot.Data.Roster.Select((s, i) => (s, i)).Where(x => gridIds.Contains(x.s.GridId)).Select(x => Html.Of($"""
                  <tr><td data-label="网格">{x.s.GridId}</td><td data-label="人员">{WorkerName(x.s.WorkerId)}</td><td data-label="星期">{Days(x.s.Days)}</td>
                  <td data-label="时间">{x.s.Start.ToString("HH:mm", CultureInfo.InvariantCulture)}–{x.s.End.ToString("HH:mm", CultureInfo.InvariantCulture)}</td>
                  <td><a href="/admin/directory/shift?index={x.i}">编辑</a></td></tr>
                  """)))}
                </tbody></table>
                <p><a href="/admin/directory/shift?community={c.Id}">新增排班</a></p>
                <h3>请假</h3>
                <table class="responsive"><thead><tr><th>人员</th><th>开始</th><th>结束</th><th>事由</th><th></th></tr></thead><tbody>
                {Html.Join(snapshot.Data.Leave.Select((l, i) => (l, i)).Where(x => workerIds.Contains(x.l.WorkerId)).Select(x => Html.Of($"""
                  <tr><td data-label="人员">{WorkerName(x.l.WorkerId)}</td><td data-label="开始">{Local(x.l.Start, zone)}</td><td data-label="结束">{Local(x.l.End, zone)}</td>
                  <td data-label="事由">{x.l.Reason}</td><td><a href="/admin/directory/leave?index={x.i}">编辑</a></td></tr>
                  """)))}
                </tbody></table>
                <p><a href="/admin/directory/leave?community={c.Id}">新增请假</a></p>
                </section>
                """);
        });
        var street = user.SeesAllTickets
            ? Html.Of($"""
                <section class="card"><h2>街道人员</h2>
                <table class="responsive"><thead><tr><th>姓名</th><th>角色</th><th>电话</th><th>状态</th><th></th></tr></thead><tbody>
                {Html.Join(snapshot.Data.Workers.Where(w => w.Community is null).Select(w => WorkerRow(w)))}
                </tbody></table></section>
                <p><a class="button" href="/admin/directory/import">导入 XLSX</a> <a href="/admin/directory/export">导出 XLSX</a></p>
                """)
            : Html.Empty;
        return AdminLayout.Page(http, "网格目录", Html.Of($"""
            {AdminLayout.Message(saved is { Length: > 0 } ? "已保存，派单立即按新目录执行。" : null)}
            {street}
            {sections}
            """));
    }

    private static Html WorkerRow(Worker w) => Html.Of($"""
        <tr><td data-label="姓名">{w.Name}</td><td data-label="角色">{RoleName(w.Role)}</td><td data-label="电话">{w.Phone}</td>
        <td data-label="状态">{(w.Active ? "在岗" : "停用")}</td><td><a href="/admin/directory/worker?id={Uri.EscapeDataString(w.Id)}">编辑</a></td></tr>
        """);

    private static IResult WorkerPage(HttpContext http, GridDirectory directory, string? id)
    {
        var user = AdminSession.From(http.User);
        if (id is null || !directory.Current.Workers.TryGetValue(id, out var worker) || !MayEdit(user, worker.Community))
        {
            return NotFound(http, "找不到这个人员，或不在您的管辖范围内。");
        }

        return WorkerForm(http, worker, null, StatusCodes.Status200OK);
    }

    private static IResult WorkerForm(HttpContext http, Worker w, string? error, int statusCode) =>
        AdminLayout.Page(http, "编辑人员：" + w.Name, Html.Of($"""
            {AdminLayout.Message(error, error: true)}
            <form method="post" action="/admin/directory/worker" class="card" id="worker-edit">
              {AdminLayout.Csrf(http)}
              <input type="hidden" name="id" value="{w.Id}">
              <label for="phone">电话（个人信息，不会出现在群里）</label>
              <input type="text" id="phone" name="phone" value="{w.Phone}" maxlength="20">
              <label for="wecom">企业微信 userid</label><input type="text" id="wecom" name="wecom" value="{w.WeComUserId}" maxlength="100">
              <label for="teams">Teams 账号 id</label><input type="text" id="teams" name="teams" value="{w.TeamsUserId}" maxlength="100">
              <label for="aad">Entra 对象 id</label><input type="text" id="aad" name="aad" value="{w.AadObjectId}" maxlength="100">
              <label for="webchat">本地聊天页 id</label><input type="text" id="webchat" name="webchat" value="{w.WebChatUserId}" maxlength="100">
              <label><input type="checkbox" name="active" value="true"{Html.Raw(w.Active ? " checked" : "")}> 在岗（不勾选则不再派单给此人）</label>
              <p><button type="submit">保存</button> <a href="/admin/directory">取消</a></p>
            </form>
            """), statusCode);

    private static IResult SaveWorker(HttpContext http, IFormCollection form, GridDirectory directory, ILoggerFactory loggers)
    {
        var user = AdminSession.From(http.User);
        var id = form["id"].ToString();
        lock (EditLock)
        {
            var data = directory.Current.Data;
            var index = data.Workers.FindIndex(w => w.Id == id);
            if (index < 0 || !MayEdit(user, data.Workers[index].Community))
            {
                return NotFound(http, "找不到这个人员，或不在您的管辖范围内。");
            }

            var edited = data.Workers[index] with
            {
                Phone = Blank(form["phone"]),
                WeComUserId = Blank(form["wecom"]),
                TeamsUserId = Blank(form["teams"]),
                AadObjectId = Blank(form["aad"]),
                WebChatUserId = Blank(form["webchat"]),
                Active = form["active"].Contains("true"),
            };
            string? Taken(Func<Worker, string?> field, string what) =>
                field(edited) is { } value && data.Workers.Find(o => o.Id != id && field(o) == value) is { } other ? $"这个{what}已属于 {other.Name}。" : null;
            var problem = edited.Phone is { } phone && !PhonePattern().IsMatch(phone) ? "电话号码格式不对：只能有数字、空格、“-”和开头的“+”，5 到 20 位。"
                : new[] { edited.WeComUserId, edited.TeamsUserId, edited.AadObjectId, edited.WebChatUserId }.Any(v => v?.Length > 100) ? "账号 id 不能超过 100 个字符。"
                : Taken(w => w.WeComUserId, "企业微信 userid") ?? Taken(w => w.TeamsUserId, "Teams 账号") ?? Taken(w => w.AadObjectId, "Entra 对象 id") ?? Taken(w => w.WebChatUserId, "本地聊天页 id");
            if (problem is not null)
            {
                return WorkerForm(http, edited, problem, StatusCodes.Status400BadRequest);
            }

            var workers = data.Workers.ToList();
            workers[index] = edited;
            if (Replace(directory, data with { Workers = workers }) is { } invalid)
            {
                return WorkerForm(http, edited, invalid, StatusCodes.Status400BadRequest);
            }
        }

        LogEdited(loggers.CreateLogger(typeof(DirectoryAdminEndpoints).FullName!), "worker", id, user.Name);
        return Results.Redirect("/admin/directory?saved=1");
    }

    private static IResult ShiftPage(HttpContext http, GridDirectory directory, int? index, string? community)
    {
        var user = AdminSession.From(http.User);
        var data = directory.Current.Data;
        if (index is { } i)
        {
            if (i < 0 || i >= data.Roster.Count || !MayEdit(user, CommunityOfGrid(directory, data.Roster[i].GridId)))
            {
                return NotFound(http, "找不到这条排班，或不在您的管辖范围内。");
            }

            return ShiftForm(http, directory, i, data.Roster[i].GridId, data.Roster[i].WorkerId, data.Roster[i].Days, Time(data.Roster[i].Start), Time(data.Roster[i].End), null, StatusCodes.Status200OK);
        }

        var grid = data.Grids.FirstOrDefault(g => g.Community == community && MayEdit(user, g.Community));
        return ShiftForm(http, directory, -1, grid?.Id, grid?.WorkerId, [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday], "08:30", "17:30", null, StatusCodes.Status200OK);
    }

    private static IResult ShiftForm(HttpContext http, GridDirectory directory, int index, string? gridId, string? workerId, IReadOnlyCollection<DayOfWeek> days, string start, string end, string? error, int statusCode)
    {
        var user = AdminSession.From(http.User);
        var data = directory.Current.Data;
        var grids = Html.Join(data.Grids.Where(g => MayEdit(user, g.Community)).Select(g => Html.Of($"""<option value="{g.Id}"{Html.Raw(g.Id == gridId ? " selected" : "")}>{g.Name}</option>""")));
        var workers = Html.Join(data.Workers.Where(w => w.Community is not null && MayEdit(user, w.Community)).Select(w => Html.Of($"""<option value="{w.Id}"{Html.Raw(w.Id == workerId ? " selected" : "")}>{w.Name}</option>""")));
        var dayBoxes = Html.Join(Enumerable.Range(1, 7).Select(d => Html.Of($"""<label class="inline"><input type="checkbox" name="days" value="{d}"{Html.Raw(days.Contains((DayOfWeek)(d % 7)) ? " checked" : "")}> 周{Weekdays[d - 1]}</label>""")));
        return AdminLayout.Page(http, index < 0 ? "新增排班" : "编辑排班", Html.Of($"""
            {AdminLayout.Message(error, error: true)}
            <form method="post" action="/admin/directory/shift" class="card" id="shift-edit">
              {AdminLayout.Csrf(http)}
              <input type="hidden" name="index" value="{index}">
              <input type="hidden" name="original" value="{(index >= 0 && index < data.Roster.Count ? ShiftKey(data.Roster[index]) : "")}">
              <label for="grid">网格</label><select id="grid" name="grid">{grids}</select>
              <label for="worker">值班人员</label><select id="worker" name="worker">{workers}</select>
              <fieldset><legend>星期</legend>{dayBoxes}</fieldset>
              <label for="start">开始（如 08:30）</label><input type="text" id="start" name="start" value="{start}" maxlength="5">
              <label for="end">结束（不含；早于开始表示跨夜，等于开始表示全天）</label><input type="text" id="end" name="end" value="{end}" maxlength="5">
              <p><button type="submit">保存</button>
              {Html.When(index >= 0, Html.Of($"""<button type="submit" class="secondary" name="delete" value="true">删除这条排班</button>"""))}
              <a href="/admin/directory">取消</a></p>
            </form>
            """), statusCode);
    }

    private static IResult SaveShift(HttpContext http, IFormCollection form, GridDirectory directory, ILoggerFactory loggers)
    {
        var user = AdminSession.From(http.User);
        var index = int.TryParse(form["index"], CultureInfo.InvariantCulture, out var i) ? i : -1;
        var gridId = form["grid"].ToString();
        var workerId = form["worker"].ToString();
        var days = form["days"].Select(d => int.TryParse(d, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 7 ? (DayOfWeek?)(DayOfWeek)(n % 7) : null).ToList();
        var startText = form["start"].ToString().Trim();
        var endText = form["end"].ToString().Trim();
        IResult Again(string problem) => ShiftForm(http, directory, index, gridId, workerId, days.OfType<DayOfWeek>().ToList(), startText, endText, problem, StatusCodes.Status400BadRequest);

        lock (EditLock)
        {
            var data = directory.Current.Data;
            var snapshot = directory.Current;
            if (index >= data.Roster.Count || (index >= 0 && (ShiftKey(data.Roster[index]) != form["original"] || !MayEdit(user, CommunityOfGrid(directory, data.Roster[index].GridId)))))
            {
                return Again("这条排班已被修改或删除，请返回目录刷新后再试。");
            }

            var roster = data.Roster.ToList();
            if (form["delete"] == "true" && index >= 0)
            {
                roster.RemoveAt(index);
            }
            else
            {
                var problem = !snapshot.Grids.TryGetValue(gridId, out var grid) || !MayEdit(user, grid.Community) ? "请选择您管辖范围内的网格。"
                    : !snapshot.Workers.TryGetValue(workerId, out var worker) || worker.Community != grid.Community ? "值班人员须是该网格所在社区的人员。"
                    : days.Count == 0 || days.Any(d => d is null) ? "请至少勾选一天。"
                    : !TryTime(startText, out _) ? "开始时间格式不对，请写成 08:30。"
                    : !TryTime(endText, out _) ? "结束时间格式不对，请写成 17:30。"
                    : null;
                if (problem is not null)
                {
                    return Again(problem);
                }

                TryTime(startText, out var start);
                TryTime(endText, out var end);
                var shift = new DutyShift { GridId = gridId, WorkerId = workerId, Days = days.OfType<DayOfWeek>().Distinct().Order().ToList(), Start = start, End = end };
                if (index >= 0)
                {
                    roster[index] = shift;
                }
                else
                {
                    roster.Add(shift);
                }
            }

            if (Replace(directory, data with { Roster = roster }) is { } invalid)
            {
                return Again(invalid);
            }
        }

        LogEdited(loggers.CreateLogger(typeof(DirectoryAdminEndpoints).FullName!), "roster", gridId, user.Name);
        return Results.Redirect("/admin/directory?saved=1");
    }

    private static IResult LeavePage(HttpContext http, GridDirectory directory, IOptions<DirectoryOptions> options, int? index, string? community)
    {
        var user = AdminSession.From(http.User);
        var data = directory.Current.Data;
        var zone = options.Value.ResolveTimeZone();
        if (index is { } i)
        {
            if (i < 0 || i >= data.Leave.Count || !MayEdit(user, CommunityOfWorker(directory, data.Leave[i].WorkerId)))
            {
                return NotFound(http, "找不到这条请假，或不在您的管辖范围内。");
            }

            var leave = data.Leave[i];
            return LeaveForm(http, directory, i, leave.WorkerId, Local(leave.Start, zone), Local(leave.End, zone), leave.Reason, null, StatusCodes.Status200OK);
        }

        return LeaveForm(http, directory, -1, null, "", "", null, null, StatusCodes.Status200OK);
    }

    private static IResult LeaveForm(HttpContext http, GridDirectory directory, int index, string? workerId, string start, string end, string? reason, string? error, int statusCode)
    {
        var user = AdminSession.From(http.User);
        var data = directory.Current.Data;
        var workers = Html.Join(data.Workers.Where(w => MayEdit(user, w.Community)).Select(w => Html.Of($"""<option value="{w.Id}"{Html.Raw(w.Id == workerId ? " selected" : "")}>{w.Name}</option>""")));
        return AdminLayout.Page(http, index < 0 ? "新增请假" : "编辑请假", Html.Of($"""
            {AdminLayout.Message(error, error: true)}
            <form method="post" action="/admin/directory/leave" class="card" id="leave-edit">
              {AdminLayout.Csrf(http)}
              <input type="hidden" name="index" value="{index}">
              <input type="hidden" name="original" value="{(index >= 0 && index < data.Leave.Count ? LeaveKey(data.Leave[index]) : "")}">
              <label for="worker">人员</label><select id="worker" name="worker">{workers}</select>
              <label for="start">开始（如 2026-11-23 08:30，办公地时间）</label><input type="text" id="start" name="start" value="{start}">
              <label for="end">结束（不含；只写日期则包含当天）</label><input type="text" id="end" name="end" value="{end}">
              <label for="reason">事由</label><input type="text" id="reason" name="reason" value="{reason}" maxlength="100">
              <p><button type="submit">保存</button>
              {Html.When(index >= 0, Html.Of($"""<button type="submit" class="secondary" name="delete" value="true">删除这条请假</button>"""))}
              <a href="/admin/directory">取消</a></p>
            </form>
            """), statusCode);
    }

    private static IResult SaveLeave(HttpContext http, IFormCollection form, GridDirectory directory, IOptions<DirectoryOptions> options, ILoggerFactory loggers)
    {
        var user = AdminSession.From(http.User);
        var zone = options.Value.ResolveTimeZone();
        var index = int.TryParse(form["index"], CultureInfo.InvariantCulture, out var i) ? i : -1;
        var workerId = form["worker"].ToString();
        var startText = form["start"].ToString().Trim();
        var endText = form["end"].ToString().Trim();
        var reason = Blank(form["reason"]);
        IResult Again(string problem) => LeaveForm(http, directory, index, workerId, startText, endText, reason, problem, StatusCodes.Status400BadRequest);

        lock (EditLock)
        {
            var data = directory.Current.Data;
            if (index >= data.Leave.Count || (index >= 0 && (LeaveKey(data.Leave[index]) != form["original"] || !MayEdit(user, CommunityOfWorker(directory, data.Leave[index].WorkerId)))))
            {
                return Again("这条请假已被修改或删除，请返回目录刷新后再试。");
            }

            var leave = data.Leave.ToList();
            if (form["delete"] == "true" && index >= 0)
            {
                leave.RemoveAt(index);
            }
            else
            {
                var start = ParseMoment(startText, zone, endOfDay: false);
                var end = ParseMoment(endText, zone, endOfDay: true);
                var problem = !directory.Current.Workers.TryGetValue(workerId, out var worker) || !MayEdit(user, worker.Community) ? "请选择您管辖范围内的人员。"
                    : start is null ? "开始时间格式不对，请写成 2026-11-23 或 2026-11-23 08:30。"
                    : end is null ? "结束时间格式不对，请写成 2026-11-23 或 2026-11-23 17:30。"
                    : end <= start ? "结束时间必须晚于开始时间。"
                    : reason?.Length > 100 ? "事由不能超过 100 个字。"
                    : null;
                if (problem is not null)
                {
                    return Again(problem);
                }

                var period = new LeavePeriod { WorkerId = workerId, Start = start!.Value, End = end!.Value, Reason = reason };
                if (index >= 0)
                {
                    leave[index] = period;
                }
                else
                {
                    leave.Add(period);
                }
            }

            if (Replace(directory, data with { Leave = leave }) is { } invalid)
            {
                return Again(invalid);
            }
        }

        LogEdited(loggers.CreateLogger(typeof(DirectoryAdminEndpoints).FullName!), "leave", workerId, user.Name);
        return Results.Redirect("/admin/directory?saved=1");
    }

    private static IResult ImportPage(HttpContext http) => ImportForm(http, null, StatusCodes.Status200OK);

    private static IResult ImportForm(HttpContext http, string? error, int statusCode)
    {
        if (!AdminSession.From(http.User).SeesAllTickets)
        {
            return Forbidden(http);
        }

        return AdminLayout.Page(http, "导入网格目录", Html.Of($"""
            {AdminLayout.Message(error, error: true)}
            <form method="post" action="/admin/directory/import" enctype="multipart/form-data" class="card" id="directory-import">
              {AdminLayout.Csrf(http)}
              <p class="muted">与命令行 <code>directory import</code> 相同的 .xlsx 工作簿（不超过 {AdminUpload.MaxBytes / 1024 / 1024} MB），
              会替换整个网格目录；任何一处错误都不会改动现有目录。建议先导出一份备份。</p>
              <label for="file">工作簿</label>
              <input type="file" id="file" name="file" accept=".xlsx" required>
              <p><button type="submit">导入并替换</button> <a href="/admin/directory">取消</a></p>
            </form>
            """), statusCode);
    }

    private static async Task<IResult> ImportAsync(HttpContext http, IFormCollection form, GridDirectory directory, IOptions<DirectoryOptions> options, ILoggerFactory loggers)
    {
        if (!AdminSession.From(http.User).SeesAllTickets)
        {
            return Forbidden(http);
        }

        var (upload, error) = await AdminUpload.ReadAsync(form, [".xlsx"], http.RequestAborted);
        if (upload is null)
        {
            return ImportForm(http, error, StatusCodes.Status400BadRequest);
        }

        using (upload)
        {
            DirectoryData data;
            try
            {
                var (read, locate) = DirectoryWorkbook.Read(upload.Path, options.Value.ResolveTimeZone());
                lock (EditLock)
                {
                    directory.Replace(read, locate);
                }

                data = read;
            }
            catch (DirectoryFormatException ex)
            {
                // The reader names the sheet, row and column; the temporary path means nothing to staff.
                return ImportForm(http, $"导入失败，网格目录没有改动。{upload.FileName}：{ex.Message.Replace(upload.Path, upload.FileName, StringComparison.Ordinal)}", StatusCodes.Status400BadRequest);
            }

            LogImported(loggers.CreateLogger(typeof(DirectoryAdminEndpoints).FullName!), data.Workers.Count, AdminSession.From(http.User).Name);
            return AdminLayout.Page(http, "导入网格目录", Html.Of($"""
                {AdminLayout.Message($"已导入：{data.Communities.Count} 个社区、{data.Grids.Count} 个网格、{data.Compounds.Count} 个小区、{data.Workers.Count} 名人员、{data.Roster.Count} 条排班、{data.Leave.Count} 条请假。派单立即按新目录执行。")}
                <p><a href="/admin/directory">返回网格目录</a></p>
                """));
        }
    }

    private static IResult Export(HttpContext http, GridDirectory directory, IOptions<DirectoryOptions> options, TimeProvider time)
    {
        if (!AdminSession.From(http.User).SeesAllTickets)
        {
            return Forbidden(http);
        }

        var path = Path.Combine(Path.GetTempPath(), "communitybot-directory-" + Guid.NewGuid().ToString("N") + ".xlsx");
        try
        {
            DirectoryWorkbook.Write(path, directory.Current.Data, options.Value.ResolveTimeZone());
            return Results.File(File.ReadAllBytes(path), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "directory-" + time.GetUtcNow().ToString("yyyyMMdd", CultureInfo.InvariantCulture) + ".xlsx");
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Stores the edited directory; a Chinese problem when it does not hold together (nothing stored then).</summary>
    private static string? Replace(GridDirectory directory, DirectoryData data)
    {
        try
        {
            directory.Replace(data);
            return null;
        }
        catch (DirectoryFormatException ex)
        {
            return "保存失败，目录没有改动：" + ex.Message;
        }
    }

    /// <summary>Admin and street staff edit everything; community staff their own community (never street staff, whose community is null).</summary>
    private static bool MayEdit(AdminSession user, string? communityId) =>
        user.SeesAllTickets || (user.Role == AdminRole.Community && communityId is not null && communityId == user.CommunityId);

    private static string? CommunityOfGrid(GridDirectory directory, string gridId) => directory.Current.Grids.GetValueOrDefault(gridId)?.Community;

    private static string? CommunityOfWorker(GridDirectory directory, string workerId) => directory.Current.Workers.GetValueOrDefault(workerId)?.Community;

    private static string ShiftKey(DutyShift s) => $"{s.GridId}|{s.WorkerId}|{string.Join(",", s.Days.Select(d => (int)d))}|{Time(s.Start)}|{Time(s.End)}";

    private static string LeaveKey(LeavePeriod l) => $"{l.WorkerId}|{l.Start:O}|{l.End:O}";

    private static bool TryTime(string text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text, ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    private static string Time(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>"2026-11-23 08:30" or "2026-11-23" in the office's zone; a bare end date includes that day.</summary>
    private static DateTimeOffset? ParseMoment(string text, TimeZoneInfo zone, bool endOfDay)
    {
        DateTime local;
        if (DateTime.TryParseExact(text, ["yyyy-MM-dd HH:mm", "yyyy-MM-dd H:mm", "yyyy-MM-ddTHH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var moment))
        {
            local = moment;
        }
        else if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            local = (endOfDay ? day.AddDays(1) : day).ToDateTime(TimeOnly.MinValue);
        }
        else
        {
            return null;
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private static string Local(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Days(List<DayOfWeek> days) => string.Join("、", days.Select(d => "周" + Weekdays[((int)d + 6) % 7]));

    private static string RoleName(WorkerRole role) => role switch
    {
        WorkerRole.Grid => "网格员",
        WorkerRole.Community => "社区",
        _ => "街道",
    };

    private static string? Blank(Microsoft.Extensions.Primitives.StringValues value) => string.IsNullOrWhiteSpace(value) ? null : value.ToString().Trim();

    private static IResult NotFound(HttpContext http, string message) =>
        AdminLayout.Page(http, "找不到", AdminLayout.Message(message, error: true), StatusCodes.Status404NotFound);

    private static IResult Forbidden(HttpContext http) =>
        AdminLayout.Page(http, "无权访问", AdminLayout.Message("只有街道和管理员可以导入或导出整个网格目录。", error: true), StatusCodes.Status403Forbidden);

    [GeneratedRegex(@"^\+?[0-9][0-9 \-]{4,19}$")]
    private static partial Regex PhonePattern();

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin console: directory {What} {Id} edited by {Name}; routing uses it now")]
    private static partial void LogEdited(ILogger logger, string what, string id, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin console: directory imported ({Workers} workers) by {Name}")]
    private static partial void LogImported(ILogger logger, int workers, string name);
}
