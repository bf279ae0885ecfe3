using System.Globalization;
using CommunityBot.Directory;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Tickets;
using CommunityBot.Media;
using CommunityBot.Tickets;
using Microsoft.Extensions.Options;

namespace CommunityBot.Admin;

/// <summary>
/// The ticket pages: a filtered, paged list; the detail with its timeline and photos; and every action of the worker's
/// card (签收, 回复, 办结, 转派, 联动, 退回, 接管) through the same <see cref="TicketDesk.ActAsync"/> and its permission checks.
/// </summary>
public static partial class TicketAdminEndpoints
{
    private static readonly TicketStatus[] Statuses = Enum.GetValues<TicketStatus>();
    private static readonly TicketLevel[] Levels = Enum.GetValues<TicketLevel>();

    // Deep pages cost a skip over every ticket before them; past this, narrowing the filter is the better answer.
    private const int MaxPage = 500;

    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/tickets", List);
        group.MapGet("/tickets/{number}", Detail);
        group.MapPost("/tickets/{number}/act", ActAsync);
    }

    private static IResult List(
        HttpContext http, TicketStore store, TicketScope scope, AdminFormat format, IOptions<AdminOptions> options,
        string? status, string? category, string? grid, string? level, string? from, string? to, string? page)
    {
        var user = AdminSession.From(http.User);
        var problems = new List<string>();
        var pageSize = options.Value.PageSize;
        var pageNumber = ParsePage(page, problems);
        var filter = new TicketFilter
        {
            Status = Parse<TicketStatus>(status, "状态", problems),
            Category = category?.Trim() is { Length: > 0 } c ? c : null,
            GridId = grid is { Length: > 0 } ? grid : null,
            Level = Parse<TicketLevel>(level, "层级", problems),
            CreatedFromUtc = ParseDay(from, "开始日期", problems) is { } f ? format.StartOfDayUtc(f) : null,
            CreatedBeforeUtc = ParseDay(to, "结束日期", problems) is { } t ? format.StartOfDayUtc(t.AddDays(1)) : null,
            Skip = (pageNumber - 1) * pageSize,
            Limit = pageSize + 1, // one more than shown tells whether there is a next page
        };
        var found = problems.Count > 0 ? [] : store.Search(scope.Apply(user, filter));
        var hasNext = found.Count > pageSize;
        var tickets = hasNext ? found.Take(pageSize).ToList() : found;
        var rows = tickets.Select(t => Html.Of($"""
            <tr>
              <td data-label="编号"><a href="/admin/tickets/{t.Number}">{t.Number}</a></td>
              <td data-label="时间">{format.Time(t.CreatedAt)}</td>
              <td data-label="分类">{t.Category}</td>
              <td data-label="位置">{t.PublicLocation}</td>
              <td data-label="状态">{TicketStatusRules.Chinese(t.Status)}</td>
              <td data-label="层级">{LevelName(t.CurrentLevel)}{(t.EscalatedTo is not null ? "（已升级）" : "")}</td>
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
            <p class="muted" id="ticket-count">{Showing(pageNumber, pageSize, tickets.Count, hasNext)}</p>
            <table class="responsive" id="tickets">
              <thead><tr><th>编号</th><th>时间</th><th>分类</th><th>位置</th><th>状态</th><th>层级</th><th>处理人</th></tr></thead>
              <tbody>{rows}</tbody>
            </table>
            {Pager(http, pageNumber, hasNext)}
            """), problems.Count > 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
    }

    private static string Showing(int page, int pageSize, int count, bool hasNext) => count == 0
        ? (page > 1 ? $"第 {page} 页没有工单。" : "没有符合条件的工单。")
        : $"第 {page} 页，第 {((page - 1) * pageSize) + 1}–{((page - 1) * pageSize) + count} 张（最新的在前）" + (hasNext ? "，后面还有" : "");

    /// <summary>Previous/next links that keep the current filters.</summary>
    private static Html Pager(HttpContext http, int page, bool hasNext)
    {
        string Link(int target)
        {
            var query = http.Request.Query.Where(q => q.Key != "page" && !string.IsNullOrEmpty(q.Value))
                .Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}")
                .Append($"page={target}");
            return "/admin/tickets?" + string.Join("&", query);
        }

        return page == 1 && !hasNext
            ? Html.Empty
            : Html.Of($"""
                <p class="pager" id="pager">
                  {Html.When(page > 1, Html.Of($"<a href=\"{Link(page - 1)}\" rel=\"prev\">上一页</a>"))}
                  <span>第 {page} 页</span>
                  {Html.When(hasNext, Html.Of($"<a href=\"{Link(page + 1)}\" rel=\"next\">下一页</a>"))}
                </p>
                """);
    }

    private static int ParsePage(string? value, List<string> problems)
    {
        if (string.IsNullOrEmpty(value))
        {
            return 1;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page is >= 1 and <= MaxPage)
        {
            return page;
        }

        problems.Add($"页码“{value}”无效（1–{MaxPage}），请缩小筛选范围。");
        return 1;
    }

    private static IResult Detail(HttpContext http, string number, TicketPage page, string? done) =>
        DetailPage(http, number, page, Done(done), error: null, note: "");

    // The confirmation comes from a fixed list, so a crafted link cannot put words on the page.
    private static string? Done(string? action) => action switch
    {
        nameof(WorkerAction.Sign) => "已签收。",
        nameof(WorkerAction.Reply) => "已回复居民。",
        nameof(WorkerAction.Close) => "已办结，居民会收到通知和回访。",
        nameof(WorkerAction.Transfer) => "已转派，接手人会收到工单卡片。",
        nameof(WorkerAction.CoHandle) => "已请对方联动处理。",
        nameof(WorkerAction.Return) => "已退回，交上级重新分派。",
        nameof(WorkerAction.TakeOver) => "消息已发给居民。居民的回复会转到您的私聊（企业微信/Teams/本地聊天）。",
        nameof(WorkerAction.EndTakeOver) => "已结束接管，对话交还助手。",
        _ => null,
    };

    private static async Task<IResult> ActAsync(
        HttpContext http, string number, IFormCollection form, TicketDesk desk, TicketPage page, HandoffStore handoffs, TimeProvider time,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var user = AdminSession.From(http.User);
        var ticket = page.Store.Find(number);
        if (ticket is null || !page.Scope.MaySee(user, ticket))
        {
            return NotFound(http, number);
        }

        var note = form["note"].ToString().Trim();
        var target = form["worker"].ToString().Trim();
        var photoField = form["photos"].ToString().Trim();
        IResult Refuse(string message, int statusCode) => DetailPage(http, number, page, null, message, note, statusCode, target, photoField);
        var photos = photoField.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        if (!Enum.TryParse<WorkerAction>(form["action"], out var action) || !Enum.IsDefined(action))
        {
            return Refuse("未知的操作。", StatusCodes.Status400BadRequest);
        }

        if (user.WorkerId is null)
        {
            return Refuse("此账号没有关联网格人员，不能处理工单。", StatusCodes.Status403Forbidden);
        }

        if (action is WorkerAction.Transfer or WorkerAction.CoHandle && target.Length == 0)
        {
            return Refuse(action == WorkerAction.Transfer ? "请选择接手人。" : "请选择联动人。", StatusCodes.Status400BadRequest);
        }

        if (photos.Length > 0 && action != WorkerAction.Close)
        {
            return Refuse("照片只能随办结发给居民：请点「办结」，或清空照片地址。", StatusCodes.Status400BadRequest);
        }

        if (photos.Length > MaxClosingPhotos || photos.Any(p => p.Length > 2048 || !OutboundAttachment.IsWebUrl(p)))
        {
            return Refuse($"办结照片地址需为 http:// 或 https:// 开头的网址，每行一个，最多 {MaxClosingPhotos} 个。", StatusCodes.Status400BadRequest);
        }

        if (action == WorkerAction.TakeOver && note.Length == 0)
        {
            return Refuse("请填写要发给居民的话。", StatusCodes.Status400BadRequest);
        }

        // One console "chat" per user and ticket, so a message typed on this page reaches this ticket's resident even
        // when the same person has taken over several threads.
        var actor = new ConversationReference
        {
            Channel = DirectoryAssignment.AdminChannel,
            ConversationId = $"admin/{user.Name}/{number}",
            UserId = user.WorkerId,
            UserName = user.Name,
        };
        var now = time.GetUtcNow();
        if (action == WorkerAction.TakeOver)
        {
            if (handoffs.ForWorker(actor.StateKey)?.TicketNumber != number)
            {
                var takeOver = await desk.ActAsync(new WorkerActionRequest(number, action, actor, "", now), cancellationToken);
                if (!takeOver.Succeeded)
                {
                    return Refuse(TicketMessages.ToActor(takeOver), StatusCodes.Status409Conflict);
                }
            }

            // The handoff relay, as if the worker had typed the note in their chat with the assistant.
            var message = new InboundMessage
            {
                Id = "admin-" + Guid.NewGuid().ToString("N"), Conversation = actor, Text = note, AddressedToBot = true, Timestamp = now,
            };
            await desk.RelayFromWorkerAsync(message, now, cancellationToken);
        }
        else
        {
            var request = new WorkerActionRequest(number, action, actor, note, now, target.Length > 0 ? target : null, photos);
            var result = await desk.ActAsync(request, cancellationToken);
            if (result.NeedsNote)
            {
                return Refuse("请先填写说明（回复内容、办结情况或原因；办结也可以只附照片）。", StatusCodes.Status400BadRequest);
            }

            if (!result.Succeeded)
            {
                // The note is kept in the form so the person can try again without retyping it.
                return Refuse(TicketMessages.ToActor(result), StatusCodes.Status409Conflict);
            }
        }

        LogActed(loggers.CreateLogger(typeof(TicketAdminEndpoints).FullName!), number, action.ToString(), user.Name);
        return Results.Redirect($"/admin/tickets/{Uri.EscapeDataString(number)}?done={action}");
    }

    private static IResult DetailPage(
        HttpContext http, string number, TicketPage page, string? done, string? error, string note,
        int statusCode = StatusCodes.Status200OK, string target = "", string photos = "")
    {
        var user = AdminSession.From(http.User);
        var (store, scope, format) = (page.Store, page.Scope, page.Format);
        var ticket = store.Find(number);
        if (ticket is null || !scope.MaySee(user, ticket))
        {
            return NotFound(http, number);
        }

        var events = ticket.Events.OrderBy(e => e.At).Select(e => Html.Of($"""
            <li class="{e.Kind.ToString().ToLowerInvariant()}"><strong>{format.Time(e.At)}</strong> {EventName(e.Kind)} · {Actor(scope, ticket, e.Actor ?? "")}{(e.Note is { Length: > 0 } eventNote ? Html.Of($"<div>{eventNote}</div>") : Html.Empty)}</li>
            """));
        var handoff = page.Handoffs.ForTicket(ticket.Number).FirstOrDefault();
        var reporter = ticket.Reporter;
        var actions = !ticket.IsOpen
            ? Html.Empty
            : user.WorkerId is null
                ? AdminLayout.Message("此账号没有关联网格人员，只能查看工单。")
                : ActionForm(http, ticket, page.Directory, note, target, handoff, photos);
        return AdminLayout.Page(http, "工单 " + ticket.Number, Html.Of($"""
            {AdminLayout.Message(done)}
            {AdminLayout.Message(error, error: true)}
            <div class="card">
              <table id="ticket-facts">
                <tr><th>状态</th><td id="ticket-status">{TicketStatusRules.Chinese(ticket.Status)}{(handoff is null ? "" : $"（{handoff.WorkerName}接管对话中）")}</td></tr>
                <tr><th>分类</th><td>{ticket.Category}</td></tr>
                <tr><th>描述</th><td>{ticket.Description}</td></tr>
                <tr><th>位置</th><td>{ticket.PublicLocation}{(ticket.Room is null ? "" : " " + ticket.Room + "室")}</td></tr>
                <tr><th>发生时间</th><td>{ticket.When ?? "—"}</td></tr>
                <tr><th>反映人</th><td>{reporter.UserName} {reporter.Phone ?? reporter.MaskedPhone ?? ""}{(ticket.Supporters.Count > 0 ? $"（另有 {ticket.Supporters.Count} 人反映）" : "")}</td></tr>
                <tr><th>网格</th><td>{(ticket.GridId is { } gridId ? page.Directory.Current.Grids.GetValueOrDefault(gridId)?.Name ?? gridId : "—")}</td></tr>
                <tr><th>层级</th><td id="ticket-level">{LevelName(ticket.Level)}{(ticket.EscalatedTo is { } rung ? $"，已升级至{LevelName(rung)}" : "")}</td></tr>
                <tr><th>处理人</th><td id="ticket-assignee">{ticket.AssigneeName}{(ticket.CoHandlers.Count > 0 ? "，联动：" + string.Join("、", ticket.CoHandlers.Select(h => scope.WorkerName(h) ?? h)) : "")}</td></tr>
                <tr><th>签收时限</th><td>{format.Time(ticket.SignBy)}</td></tr>
                <tr><th>办结时限</th><td>{format.Time(ticket.CloseBy)}</td></tr>
              </table>
              {Photos(ticket, page)}
              {ClosingPhotos(ticket, page)}
            </div>
            {actions}
            <h2>处理记录</h2>
            <ol class="timeline" id="timeline">{events}</ol>
            <p><a href="/admin/tickets">返回工单列表</a></p>
            """), statusCode);
    }

    /// <summary>
    /// The photos the resident sent with the report: a re-hosted one (<c>media:{id}</c>) as an image through its signed
    /// link once kept, else what became of it; an older ticket's web address as an image that opens full size; anything
    /// else (a channel-internal id) listed, since a browser cannot show it.
    /// </summary>
    private static Html Photos(Ticket ticket, TicketPage page)
    {
        if (ticket.Photos.Count == 0)
        {
            return Html.Empty;
        }

        var items = ticket.Photos.Select((p, i) => Photo(p, $"现场照片{i + 1}", page));
        return Html.Of($"""<h2>现场照片（{ticket.Photos.Count}）</h2><div class="photos" id="photos">{items}</div>""");
    }

    /// <summary>The photos of the latest 办结, under their own heading (they are the worker's, not the resident's).</summary>
    private static Html ClosingPhotos(Ticket ticket, TicketPage page)
    {
        var photos = ticket.ClosingPhotos.Where(p => MediaRef.IdOf(p) is not null || OutboundAttachment.IsWebUrl(p)).ToList();
        if (photos.Count == 0)
        {
            return Html.Empty;
        }

        var items = photos.Select((p, i) => Photo(p, $"办结照片{i + 1}", page));
        return Html.Of($"""<h2>办结照片（{photos.Count}）</h2><div class="photos" id="closing-photos">{items}</div>""");
    }

    private static Html Photo(string photo, string name, TicketPage page)
    {
        if (MediaRef.IdOf(photo) is { } id)
        {
            return page.Media.Find(id) switch
            {
                { Status: MediaStatus.Stored } item when page.Media.FileOf(item) is not null => Image(page.MediaLinks.PathFor(item, MediaLinks.PageLifetime), name),
                { Status: MediaStatus.Pending } => Html.Of($"""<span class="muted photo-pending">{name}正在保存，请稍后刷新</span> """),
                { Status: MediaStatus.Failed } => Html.Of($"""<span class="muted photo-failed">{name}未能保存（未能从发来的地址取得图片）</span> """),
                _ => Html.Of($"""<span class="muted photo-failed">{name}已不可用</span> """),
            };
        }

        return OutboundAttachment.IsWebUrl(photo)
            ? Image(photo, name)
            : Html.Of($"""<span class="muted">{name}（无法在网页中预览）</span> """);
    }

    private static Html Image(string url, string name) =>
        Html.Of($"""<a href="{url}" target="_blank" rel="noopener noreferrer"><img src="{url}" alt="{name}" loading="lazy"></a>""");

    private const int MaxClosingPhotos = 4;

    private static Html ActionForm(
        HttpContext http, Ticket ticket, GridDirectory directory, string note, string target, Tickets.Handoff? handoff, string photos)
    {
        var current = directory.Current;
        var workers = current.Data.Workers.Select(w => Html.Of($"""
            <option value="{w.Id}"{Selected(w.Id == target)}>{w.Name}（{WorkerPlace(current, w)}）</option>
            """));
        return Html.Of($"""
            <form method="post" action="/admin/tickets/{ticket.Number}/act" class="card" id="ticket-act">
              {AdminLayout.Csrf(http)}
              <label for="note">说明（回复或发给居民的话、办结情况、转派/联动/退回的原因）</label>
              <textarea id="note" name="note" rows="3">{note}</textarea>
              <label for="photos">办结照片地址（可选，办结后由系统取回并发给居民；http(s) 网址，每行一个）</label>
              <textarea id="photos" name="photos" rows="2">{photos}</textarea>
              <label for="worker">接手人 / 联动人（转派、联动时选择）</label>
              <select id="worker" name="worker"><option value="">请选择</option>{workers}</select>
              <div class="actions">
                <button type="submit" name="action" value="Sign">签收</button>
                <button type="submit" name="action" value="Reply">回复居民</button>
                <button type="submit" name="action" value="Close">办结</button>
                <button type="submit" name="action" value="Transfer" class="secondary">转派</button>
                <button type="submit" name="action" value="CoHandle" class="secondary">联动</button>
                <button type="submit" name="action" value="Return" class="secondary">退回</button>
                <button type="submit" name="action" value="TakeOver" class="secondary">{(handoff is null ? "接管并发送" : "发送给居民")}</button>
                {Html.When(handoff is not null, Html.Raw("""<button type="submit" name="action" value="EndTakeOver" class="secondary">结束接管</button>"""))}
              </div>
            </form>
            """);
    }

    private static string WorkerPlace(DirectorySnapshot directory, Worker worker)
    {
        var community = worker.Community is { } id ? directory.Communities.GetValueOrDefault(id)?.Name ?? id : null;
        return worker.Role switch
        {
            WorkerRole.Grid => $"{community} 网格员",
            WorkerRole.Community => $"{community} 工作人员",
            _ => "街道工作人员",
        };
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

    // The console is staff-only and already shows the reporter's name, so a resident's event names them too.
    private static string Actor(TicketScope scope, Ticket ticket, string actor) => actor switch
    {
        "system" => "系统",
        _ when actor.StartsWith("resident:", StringComparison.Ordinal) =>
            "居民" + ticket.Supporters.Prepend(ticket.Reporter).FirstOrDefault(r => "resident:" + r.Key == actor)?.UserName,
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
        TicketEventKind.RelayedToResident => "接管中发给居民",
        TicketEventKind.RelayedFromResident => "接管中居民回复",
        _ => kind.ToString(),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin console: {Action} on ticket {TicketId} by {Name}")]
    private static partial void LogActed(ILogger logger, string ticketId, string action, string name);
}
