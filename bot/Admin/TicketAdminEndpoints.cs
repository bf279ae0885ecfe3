using System.Globalization;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Tickets;
using CommunityBot.Tickets;
using Microsoft.Extensions.Options;

namespace CommunityBot.Admin;

/// <summary>The ticket pages: a filtered list, the detail with its timeline, and signing/replying/closing through the desk.</summary>
public static partial class TicketAdminEndpoints
{
    private static readonly TicketStatus[] Statuses = Enum.GetValues<TicketStatus>();
    private static readonly TicketLevel[] Levels = Enum.GetValues<TicketLevel>();

    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/tickets", List);
        group.MapGet("/tickets/{number}", Detail);
        group.MapPost("/tickets/{number}/act", ActAsync);
    }

    private static IResult List(
        HttpContext http, TicketStore store, TicketScope scope, AdminFormat format, IOptions<AdminOptions> options,
        string? status, string? category, string? grid, string? level, string? from, string? to)
    {
        var user = AdminSession.From(http.User);
        var problems = new List<string>();
        var filter = new TicketFilter
        {
            Status = Parse<TicketStatus>(status, "状态", problems),
            Category = category?.Trim() is { Length: > 0 } c ? c : null,
            GridId = grid is { Length: > 0 } ? grid : null,
            Level = Parse<TicketLevel>(level, "层级", problems),
            CreatedFromUtc = ParseDay(from, "开始日期", problems) is { } f ? format.StartOfDayUtc(f) : null,
            CreatedBeforeUtc = ParseDay(to, "结束日期", problems) is { } t ? format.StartOfDayUtc(t.AddDays(1)) : null,
            Limit = options.Value.PageSize,
        };
        var tickets = problems.Count > 0 ? [] : store.Search(scope.Apply(user, filter));
        var rows = tickets.Select(t => Html.Of($"""
            <tr>
              <td data-label="编号"><a href="/admin/tickets/{t.Number}">{t.Number}</a></td>
              <td data-label="时间">{format.Time(t.CreatedAt)}</td>
              <td data-label="分类">{t.Category}</td>
              <td data-label="位置">{t.PublicLocation}</td>
              <td data-label="状态">{TicketStatusRules.Chinese(t.Status)}</td>
              <td data-label="层级">{LevelName(t.Level)}</td>
              <td data-label="处理人">{t.AssigneeName}</td>
            </tr>
            """));
        var grids = scope.Grids(user).Select(g => Html.Of($"""<option value="{g.Id}"{Selected(g.Id == grid)}>{g.Name}</option>"""));
        return AdminLayout.Page(http, "工单", Html.Of($"""
            {AdminLayout.Message(problems.Count > 0 ? string.Join(" ", problems) : null, error: true)}
            <form method="get" action="/admin/tickets" class="card filters" id="ticket-filters">
              <div><label for="status">状态</label><select id="status" name="status"><option value="">全部</option>{Statuses.Select(s => Html.Of($"""<option value="{s}"{Selected(s.ToString() == status)}>{TicketStatusRules.Chinese(s)}</option>"""))}</select></div>
              <div><label for="category">分类</label><input type="text" id="category" name="category" value="{category}"></div>
              <div><label for="grid">网格</label><select id="grid" name="grid"><option value="">全部</option>{grids}</select></div>
              <div><label for="level">层级</label><select id="level" name="level"><option value="">全部</option>{Levels.Select(l => Html.Of($"""<option value="{l}"{Selected(l.ToString() == level)}>{LevelName(l)}</option>"""))}</select></div>
              <div><label for="from">从</label><input type="date" id="from" name="from" value="{from}"></div>
              <div><label for="to">到</label><input type="date" id="to" name="to" value="{to}"></div>
              <div><button type="submit">筛选</button></div>
            </form>
            <p class="muted">{(tickets.Count >= filter.Limit ? $"显示最新的 {tickets.Count} 张，请缩小筛选范围。" : $"共 {tickets.Count} 张")}</p>
            <table class="responsive" id="tickets">
              <thead><tr><th>编号</th><th>时间</th><th>分类</th><th>位置</th><th>状态</th><th>层级</th><th>处理人</th></tr></thead>
              <tbody>{rows}</tbody>
            </table>
            """), problems.Count > 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
    }

    private static IResult Detail(HttpContext http, string number, TicketStore store, TicketScope scope, AdminFormat format, string? done) =>
        DetailPage(http, number, store, scope, format, Done(done), error: null, note: "");

    // The confirmation comes from a fixed list, so a crafted link cannot put words on the page.
    private static string? Done(string? action) => action switch
    {
        nameof(WorkerAction.Sign) => "已签收。",
        nameof(WorkerAction.Reply) => "已回复居民。",
        nameof(WorkerAction.Close) => "已办结，居民会收到通知和回访。",
        _ => null,
    };

    private static async Task<IResult> ActAsync(
        HttpContext http, string number, IFormCollection form, TicketDesk desk, TicketStore store, TicketScope scope, AdminFormat format,
        TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var user = AdminSession.From(http.User);
        var ticket = store.Find(number);
        if (ticket is null || !scope.MaySee(user, ticket))
        {
            return NotFound(http, number);
        }

        var note = form["note"].ToString().Trim();
        if (!Enum.TryParse<WorkerAction>(form["action"], out var action) || action is not (WorkerAction.Sign or WorkerAction.Reply or WorkerAction.Close))
        {
            return DetailPage(http, number, store, scope, format, null, "未知的操作。", note, StatusCodes.Status400BadRequest);
        }

        if (user.WorkerId is null)
        {
            return DetailPage(http, number, store, scope, format, null, "此账号没有关联网格人员，不能处理工单。", note, StatusCodes.Status403Forbidden);
        }

        var actor = new ConversationReference
        {
            Channel = DirectoryAssignment.AdminChannel,
            ConversationId = "admin/" + user.Name,
            UserId = user.WorkerId,
            UserName = user.Name,
        };
        var result = await desk.ActAsync(new WorkerActionRequest(number, action, actor, note, time.GetUtcNow()), cancellationToken);
        if (result.NeedsNote)
        {
            return DetailPage(http, number, store, scope, format, null, "请先填写说明（回复内容或办结情况）。", note, StatusCodes.Status400BadRequest);
        }

        if (!result.Succeeded)
        {
            // The note is kept in the form so the person can try again without retyping it.
            return DetailPage(http, number, store, scope, format, null, result.Message, note, StatusCodes.Status409Conflict);
        }

        LogActed(loggers.CreateLogger(typeof(TicketAdminEndpoints).FullName!), number, action.ToString(), user.Name);
        return Results.Redirect($"/admin/tickets/{Uri.EscapeDataString(number)}?done={action}");
    }

    private static IResult DetailPage(
        HttpContext http, string number, TicketStore store, TicketScope scope, AdminFormat format, string? done, string? error, string note,
        int statusCode = StatusCodes.Status200OK)
    {
        var user = AdminSession.From(http.User);
        var ticket = store.Find(number);
        if (ticket is null || !scope.MaySee(user, ticket))
        {
            return NotFound(http, number);
        }

        var events = ticket.Events.OrderBy(e => e.At).Select(e => Html.Of($"""
            <li><strong>{format.Time(e.At)}</strong> {EventName(e.Kind)} · {Actor(scope, e.Actor ?? "")}{(e.Note is { Length: > 0 } eventNote ? Html.Of($"<div>{eventNote}</div>") : Html.Empty)}</li>
            """));
        var photos = ticket.Photos.Where(p => p.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || p.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            .Select(p => Html.Of($"""<a href="{p}" target="_blank" rel="noopener noreferrer"><img src="{p}" alt="照片" style="max-width:12em;max-height:12em"></a> """));
        var reporter = ticket.Reporter;
        var actions = user.WorkerId is null
            ? AdminLayout.Message("此账号没有关联网格人员，只能查看工单。")
            : Html.Of($"""
                <form method="post" action="/admin/tickets/{ticket.Number}/act" class="card" id="ticket-act">
                  {AdminLayout.Csrf(http)}
                  <label for="note">说明（回复居民的内容，或办结情况）</label>
                  <textarea id="note" name="note" rows="3">{note}</textarea>
                  <p>
                    <button type="submit" name="action" value="Sign">签收</button>
                    <button type="submit" name="action" value="Reply">回复居民</button>
                    <button type="submit" name="action" value="Close">办结</button>
                  </p>
                </form>
                """);
        return AdminLayout.Page(http, "工单 " + ticket.Number, Html.Of($"""
            {AdminLayout.Message(done)}
            {AdminLayout.Message(error, error: true)}
            <div class="card">
              <table id="ticket-facts">
                <tr><th>状态</th><td id="ticket-status">{TicketStatusRules.Chinese(ticket.Status)}</td></tr>
                <tr><th>分类</th><td>{ticket.Category}</td></tr>
                <tr><th>描述</th><td>{ticket.Description}</td></tr>
                <tr><th>位置</th><td>{ticket.PublicLocation}{(ticket.Room is null ? "" : " " + ticket.Room + "室")}</td></tr>
                <tr><th>发生时间</th><td>{ticket.When ?? "—"}</td></tr>
                <tr><th>反映人</th><td>{reporter.UserName} {reporter.Phone ?? reporter.MaskedPhone ?? ""}{(ticket.Supporters.Count > 0 ? $"（另有 {ticket.Supporters.Count} 人反映）" : "")}</td></tr>
                <tr><th>网格</th><td>{ticket.GridId ?? "—"}</td></tr>
                <tr><th>层级</th><td>{LevelName(ticket.Level)}</td></tr>
                <tr><th>处理人</th><td>{ticket.AssigneeName}{(ticket.CoHandlers.Count > 0 ? "，联动：" + string.Join("、", ticket.CoHandlers.Select(h => scope.WorkerName(h) ?? h)) : "")}</td></tr>
                <tr><th>签收时限</th><td>{format.Time(ticket.SignBy)}</td></tr>
                <tr><th>办结时限</th><td>{format.Time(ticket.CloseBy)}</td></tr>
              </table>
              {photos}
            </div>
            {actions}
            <h2>处理记录</h2>
            <ol class="timeline" id="timeline">{events}</ol>
            <p><a href="/admin/tickets">返回工单列表</a></p>
            """), statusCode);
    }

    private static IResult NotFound(HttpContext http, string number) =>
        AdminLayout.Page(http, "找不到工单", AdminLayout.Message($"没有编号为 {number} 的工单，或您无权查看。", error: true), StatusCodes.Status404NotFound);

    private static T? Parse<T>(string? value, string label, List<string> problems)
        where T : struct, Enum
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        if (Enum.TryParse<T>(value, ignoreCase: false, out var parsed) && Enum.IsDefined(parsed))
        {
            return parsed;
        }
        problems.Add($"{label}“{value}”无法识别。");
        return null;
    }

    private static DateOnly? ParseDay(string? value, string label, List<string> problems)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }
        problems.Add($"{label}“{value}”不是日期（格式 2026-11-23）。");
        return null;
    }

    private static Html Selected(bool selected) => Html.Raw(selected ? " selected" : "");

    private static string Actor(TicketScope scope, string actor) => actor switch
    {
        "system" => "系统",
        _ when actor.StartsWith("resident:", StringComparison.Ordinal) => "居民",
        _ => scope.WorkerName(actor) ?? actor,
    };

    private static string LevelName(TicketLevel level) => level switch
    {
        TicketLevel.Grid => "网格",
        TicketLevel.Community => "社区",
        TicketLevel.Street => "街道",
        _ => "区",
    };

    private static string EventName(TicketEventKind kind) => kind switch
    {
        TicketEventKind.Created => "登记",
        TicketEventKind.Assigned => "派单",
        TicketEventKind.Supported => "他人附议",
        TicketEventKind.Signed => "签收",
        TicketEventKind.Replied => "回复",
        TicketEventKind.Returned => "退回",
        TicketEventKind.Closed => "办结",
        TicketEventKind.Reopened => "重办",
        TicketEventKind.Confirmed => "居民确认",
        TicketEventKind.Transferred => "转派",
        TicketEventKind.CoHandlerAdded => "联动",
        TicketEventKind.TakenOver => "接管对话",
        TicketEventKind.HandedBack => "交还助手",
        TicketEventKind.Escalated => "升级",
        TicketEventKind.ContactAdded => "补充联系方式",
        TicketEventKind.Reminded => "催办",
        _ => kind.ToString(),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin console: {Action} on ticket {TicketId} by {Name}")]
    private static partial void LogActed(ILogger logger, string ticketId, string action, string name);
}
