using System.Globalization;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Privacy;

namespace CommunityBot.Dialogs.Tickets;

/// <summary>
/// The words of ticket handling: turns what the ticket desk decided (<see cref="TicketFact"/>, the results of filing,
/// worker actions, contact and feedback) into messages for their audience. The one rule for a group audience: free text
/// goes through <see cref="PersonalData.Hide"/> and no resident's name, phone or room is named, whoever the fact is about.
/// </summary>
public static class TicketMessages
{
    /// <summary>What a worker in a take-over sends to give the thread back to the assistant.</summary>
    public const string EndTakeOverCommand = "结束接管";

    private static readonly WorkerAction[] CardActions =
        [WorkerAction.Sign, WorkerAction.Reply, WorkerAction.TakeOver, WorkerAction.Transfer, WorkerAction.CoHandle, WorkerAction.Return, WorkerAction.Close];

    /// <summary>The message that tells <paramref name="audience"/> of <paramref name="fact"/>.</summary>
    public static OutboundMessage For(TicketFact fact, ConversationReference audience)
    {
        var group = audience.IsGroup;
        return fact switch
        {
            TicketFact.WorkerCardNeeded card => WorkerCard(card.Ticket, card.Reason, group),
            TicketFact.SupporterJoined j => OutboundMessage.Plain(
                $"工单 {j.Number}：又有居民{Name(j.ResidentName, group)}{(j.Phone is null || group ? "" : $"（电话：{j.Phone}）")}反映了同一问题（共{j.Reporters}人反映）：{Public(j.Description, null, group)}"),
            TicketFact.ContactLeft c => OutboundMessage.Plain(group
                ? $"工单 {c.Number}：居民留了电话。"
                : $"工单 {c.Number}：居民{c.ResidentName}留了电话 {c.Phone}{HomeOf(c.Unit, c.Room)}。"),
            TicketFact.WorkerReplied r => OutboundMessage.Plain($"网格员{r.WorkerName}回复（工单 {r.Number}）：{ForAudience(audience, r.Note, r.Room)}"),
            TicketFact.TakeOverStarted t => OutboundMessage.Plain($"网格员{t.WorkerName}已接入（工单 {t.Number}），接下来您的消息会直接转给TA。"),
            TicketFact.ConsoleTakeOverStarted c => OutboundMessage.Plain(
                $"您在管理台接管了居民{Name(c.ResidentName, group)}的对话（工单 {c.Number}）。居民的消息会转到这里，您在这里回复也会转给居民；回复「{EndTakeOverCommand}」交还助手。"),
            TicketFact.RelayedFromResident r => OutboundMessage.Plain(
                $"居民{Name(r.ResidentName, group)}（工单 {r.Number}）：{Public(r.Text, null, group)}{(r.Attachments > 0 ? $"（附{r.Attachments}个附件）" : "")}"),
            TicketFact.RelayedToResident r => OutboundMessage.Plain($"网格员{r.WorkerName}：{ForAudience(audience, r.Text, room: null)}"),
            TicketFact.TakeOverEnded e => OutboundMessage.Plain($"网格员{e.WorkerName}已结束这次对话，工单 {e.Number} 仍在办理中。有其他问题可以随时@我。"),
            TicketFact.TakeOverIdle i => OutboundMessage.Plain($"与居民{Name(i.ResidentName, group)}的对话（工单 {i.Number}）已空闲超时，交还助手。"),
            TicketFact.AnswerDelayed d => OutboundMessage.Plain($"抱歉，网格员{d.WorkerName}暂时没有回复，已请{d.SupervisorName}跟进（工单 {d.Number}），请稍候。"),
            TicketFact.DistrictEscalated d => DistrictCard(d.Ticket, d.Missed),
            TicketFact.ReportPhotos p => ReportPhotos(p),
            TicketFact.SupporterPhotos p => SupporterPhotos(p, group),
            TicketFact.ClosingPhotos p => p.Photos.Count > 0
                ? OutboundMessage.Plain($"工单 {p.Number} 的办结照片：") with { Attachments = p.Photos }
                : OutboundMessage.Plain($"抱歉，工单 {p.Number} 的办结照片未能发送。"),
            TicketFact.ClosingPhotosLost l => OutboundMessage.Plain(
                $"工单 {l.Number}：{l.Lost}张办结照片未能保存，居民没有收到。如需说明，可以用「回复」告诉居民。"),
            _ => throw new ArgumentOutOfRangeException(nameof(fact), fact.GetType().Name, "A ticket fact without words."),
        };
    }

    private static OutboundMessage ReportPhotos(TicketFact.ReportPhotos p) => p.Photos.Count == 0
        ? OutboundMessage.Plain($"工单 {p.Number}：居民发来的{p.Lost}张照片未能保存，如需照片请联系居民。")
        : OutboundMessage.Plain($"工单 {p.Number} 居民发来的现场照片（{p.Photos.Count}张）" + AlsoLost(p.Lost)) with { Attachments = p.Photos };

    private static OutboundMessage SupporterPhotos(TicketFact.SupporterPhotos p, bool group)
    {
        var who = $"后来反映同一问题的居民{Name(p.ResidentName, group)}";
        return p.Photos.Count == 0
            ? OutboundMessage.Plain($"工单 {p.Number}：{who}发来的{p.Lost}张照片未能保存，如需照片请联系居民。")
            : OutboundMessage.Plain($"工单 {p.Number}：{who}发来的现场照片（{p.Photos.Count}张）" + AlsoLost(p.Lost)) with { Attachments = p.Photos };
    }

    private static string AlsoLost(int lost) => lost > 0 ? $"；另有{lost}张照片未能保存，如需要请联系居民。" : "：";

    /// <summary>
    /// A worker's or resident's own words on their way to <paramref name="audience"/>: in a group everyone reads them,
    /// so phone numbers and rooms are hidden by the one public rule; a private chat gets them as written.
    /// </summary>
    public static string ForAudience(ConversationReference audience, string text, string? room) =>
        audience.IsGroup ? PersonalData.Hide(text, room) : text;

    /// <summary>What the resident is told after filing (safe for the group: the receipt holds no personal data).</summary>
    public static string Receipt(TicketReceipt receipt) => receipt switch
    {
        { AlreadyReported: true } => $"您已反映过这个问题，工单 {receipt.Number} 正在办理，由{receipt.ResponsibleName}负责。查询进度请@我说「我的工单」。",
        { JoinedExisting: true } => $"这个问题已有人反映，已并入工单 {receipt.Number}（共{receipt.Supporters}人反映），由{receipt.ResponsibleName}负责，有进展会通知您。",
        _ => $"已登记，工单号 {receipt.Number}。由{receipt.ResponsibleName}负责，{Describe(receipt.PromisedResponse)}内响应。查询进度请@我说「我的工单」。",
    };

    /// <summary>
    /// "查询 WT…": that ticket of the resident's, or "not found" (also when it is someone else's). Status replies may be
    /// read in a group, so the place and the worker's last word go through the public rule wherever they are asked.
    /// </summary>
    public static string Status(string asked, TicketSummary? one) => one is null
        ? $"没有找到您登记的工单 {asked}。说「我的工单」可以看您登记过的全部工单。"
        : $"工单 {one.Number}\n类别：{one.Category}\n位置：{PersonalData.Hide(one.Where, one.Room)}\n状态：{one.Status}\n登记：{one.CreatedAt.ToString("M月d日 HH:mm", CultureInfo.InvariantCulture)}" +
          (one.Handler.Length > 0 ? $"\n负责：{one.Handler}" : "") +
          (one.Progress is { Length: > 0 } progress ? $"\n最新进展：{PersonalData.Hide(progress, one.Room)}" : "");

    /// <summary>"我的工单": the five newest, each place hidden by the public rule (see <see cref="Status"/>).</summary>
    public static string Mine(IReadOnlyList<TicketSummary> mine)
    {
        if (mine.Count == 0)
        {
            return "您还没有登记过工单。遇到问题可以@我说「我要报修」。";
        }

        var lines = mine.Take(5).Select(t => $"{t.Number} {t.Category} {PersonalData.Hide(t.Where, t.Room)}：{t.Status}（{t.CreatedAt.ToString("M月d日", CultureInfo.InvariantCulture)}登记" +
            (t.Handler.Length > 0 ? $"，{t.Handler}负责）" : "）"));
        return "您的工单：\n" + string.Join("\n", lines) + "\n说「查询」加工单号可以看一张工单的详情。";
    }

    /// <summary>What the worker (or console user) who acted is told.</summary>
    public static string ToActor(WorkerActionResult result)
    {
        var n = result.TicketNumber;
        var name = result.Name ?? "";
        return result.Outcome switch
        {
            WorkerActionOutcome.TicketNotFound => $"找不到工单 {n}。",
            WorkerActionOutcome.NotPermitted => "您无权处理这个工单。",
            WorkerActionOutcome.NeedsNote => "",
            WorkerActionOutcome.Signed => $"已签收工单 {n}，请在{Time(result.Deadline)}前办结。",
            WorkerActionOutcome.NotSignable => $"工单 {n} 当前为「{result.Status}」，无需签收。",
            WorkerActionOutcome.Replied => "已转告居民。",
            WorkerActionOutcome.Closed => $"工单 {n} 已办结，已请居民确认是否解决、是否满意。",
            WorkerActionOutcome.AlreadyClosed => $"工单 {n} 已经办结。",
            WorkerActionOutcome.Returned => $"工单 {n} 已退回，交{name}重新分派，原因已记录。",
            WorkerActionOutcome.ReturnRefused => $"工单 {n} 已经办结，不能退回。",
            WorkerActionOutcome.TransferTargetMissing => "没找到接手人。请在说明里写上接手人的全名，例如「李强 7号楼属于二网格」，再点一次「转派」。",
            WorkerActionOutcome.AlreadyHeldByTarget => $"工单 {n} 本来就由{name}负责。",
            WorkerActionOutcome.Transferred => $"工单 {n} 已转派给{name}，原因已记录。",
            WorkerActionOutcome.TransferRefused => $"工单 {n} 已经办结，不能转派。",
            WorkerActionOutcome.CoHandlerMissing => "没找到联动人。请在说明里写上对方的全名和需要协助的事项，再点一次「联动」。",
            WorkerActionOutcome.CoHandlingRequested => $"已请{name}联动处理工单 {n}。",
            WorkerActionOutcome.CoHandlingRefused => $"{name}已在处理工单 {n}，或工单已办结。",
            WorkerActionOutcome.TakenOver =>
                $"已接管居民{name}的对话（工单 {n}）。您在这里发的消息会转给居民，居民的消息也会转给您；回复「{EndTakeOverCommand}」交还助手。",
            WorkerActionOutcome.TakeOverRefused => $"工单 {n} 已经办结，不能接管。",
            WorkerActionOutcome.TakenOverByOther => $"这位居民已由{name}接管。",
            WorkerActionOutcome.NoPrivateChat => "您在聊天渠道里没有可用的私聊，居民的回复无法转给您，请在企业微信/Teams 的工单卡片上接管。",
            WorkerActionOutcome.TakeOverEnded => $"已结束接管（工单 {n}），对话交还助手。",
            WorkerActionOutcome.NotTakenOver => $"工单 {n} 没有在接管中。",
            _ => "未知的操作。",
        };
    }

    /// <summary>What the resident is told after answering "fixed?" and "satisfied?".</summary>
    public static string ToResident(FeedbackRecorded feedback) => feedback switch
    {
        { Outcome: FeedbackOutcome.NotRecorded } => "谢谢您的反馈。",
        { Outcome: FeedbackOutcome.Confirmed } => "谢谢您的反馈，工单已关闭。",
        // The reply follows what they said: "没解决" but "满意" is thanks for the effort, not a complaint.
        { Fixed: false, Satisfied: true } => $"谢谢您的评价。问题还没解决，工单 {feedback.TicketNumber} 已重新办理，网格员会再联系您。",
        { Fixed: true, Satisfied: false } => $"抱歉这次处理没能让您满意，工单 {feedback.TicketNumber} 已重新办理，网格员会再联系您。",
        _ => $"抱歉问题没解决、也没能让您满意，工单 {feedback.TicketNumber} 已重新办理，网格员会再联系您。",
    };

    /// <summary>What the resident is told after answering the private request for a phone (their own chat: the phone masked).</summary>
    public static string ToResident(ContactRecorded contact) => contact.Outcome switch
    {
        ContactOutcome.Skipped => "好的，不留也没关系，有进展会在群里通知您。",
        ContactOutcome.Recorded => $"已记下电话 {PersonalData.MaskPhone(contact.Phone ?? "")}，只有处理工单的网格员能看到。",
        _ => "没找到您登记的这个工单，电话没有记录。",
    };

    /// <summary>The Chinese name of a deadline ("签收", "首次联系居民", "办结").</summary>
    public static string Name(TicketDeadline deadline) => deadline switch
    {
        TicketDeadline.Sign => "签收",
        TicketDeadline.FirstContact => "首次联系居民",
        _ => "办结",
    };

    /// <summary>The line a card adds for its reason (none for a new ticket); 催办's is also the ticket timeline's note.</summary>
    public static string? Note(CardReason reason) => reason switch
    {
        CardReason.Reopened r => (r.Fixed, r.Satisfied) switch
        {
            // The card says why it came back: not fixed, not satisfied, or both.
            (false, false) => "居民反馈：没解决，不满意",
            (false, true) => "居民反馈：没解决",
            _ => "居民反馈：已解决，但不满意",
        },
        CardReason.Returned r => $"{r.By}退回：{r.Note}",
        CardReason.Transferred t => $"{t.By}转派：{t.Note}",
        CardReason.CoHandling c => $"{c.By}请您协助：{c.Note}",
        CardReason.ResidentWaiting w => $"居民已等待{w.Minutes}分钟，网格员{w.WorkerName}未回复，请跟进。",
        CardReason.DeadlineNear d => Note(d),
        CardReason.DeadlinesMissed m => Missed(m.Deadlines),
        _ => null,
    };

    /// <summary>The 催办 line, which the ticket's timeline also keeps.</summary>
    public static string Note(CardReason.DeadlineNear reminder) => $"{Name(reminder.Deadline)}时限{Time(reminder.Due)}将至，请尽快处理。";

    private static string Title(CardReason reason) => reason switch
    {
        CardReason.NewTicket => "新工单",
        CardReason.Reopened => "重办工单",
        CardReason.Returned => "退回工单",
        CardReason.Transferred => "转派工单",
        CardReason.CoHandling => "联动工单",
        CardReason.ResidentWaiting => "居民等待回复",
        CardReason.DeadlineNear => "催办",
        _ => "督办工单",
    };

    /// <summary>
    /// The ticket card with its action buttons. For the handling worker's private chat it holds the reporter's name,
    /// phone and room; should the worker's address be a group, those are left out and the free text hidden.
    /// </summary>
    private static OutboundMessage WorkerCard(TicketCard ticket, CardReason reason, bool group)
    {
        var note = Note(reason);
        var where = group
            ? PersonalData.Hide(ticket.Place, ticket.Room)
            : ticket.Place + (ticket.Room is null ? "" : $" {ticket.Room}室");
        var reporter = group ? "" : $"反映人：{ticket.ReporterName}（电话：{ticket.ReporterPhone ?? "未留"}）\n";
        var text = $"{ticket.Category}｜{where}\n{Public(ticket.Description, ticket.Room, group)}\n"
            + (note is null ? "" : Public(note, ticket.Room, group) + "\n")
            + reporter + $"请于{Time(ticket.SignBy)}前签收。";
        var buttons = CardActions.Select(a => new CardAction(ActionTitle(a), TicketButtons.Value(ticket.Number, a)));
        return new OutboundMessage { Title = $"{Title(reason)} {ticket.Number}", Text = text, Buttons = buttons.ToList() };
    }

    /// <summary>The district sees the case, not the resident's phone or room: those stay with the handling office.</summary>
    private static OutboundMessage DistrictCard(TicketCard ticket, IReadOnlyList<TicketDeadline> missed) => new()
    {
        Title = $"督办工单 {ticket.Number}",
        Text = $"{ticket.Category}｜{PersonalData.Hide(ticket.Place, ticket.Room)}\n{PersonalData.Hide(ticket.Description, ticket.Room)}\n{Missed(missed)}\n责任人：{ticket.Handler}",
    };

    private static string Missed(IReadOnlyList<TicketDeadline> deadlines) =>
        $"{string.Join("、", deadlines.Select(Name))}已超时，工单升级至您处督办。";

    private static string ActionTitle(WorkerAction action) => action switch
    {
        WorkerAction.Sign => "签收",
        WorkerAction.Reply => "回复",
        WorkerAction.TakeOver => "接管",
        WorkerAction.Transfer => "转派",
        WorkerAction.CoHandle => "联动",
        WorkerAction.Return => "退回",
        WorkerAction.Close => "办结",
        _ => action.ToString(),
    };

    // "3单元201" reaches the worker whole: the unit is where to knock as much as the room.
    private static string HomeOf(string? unit, string? room) => (unit, room) switch
    {
        ({ } u, { } r) => $"，住{u}单元{r}室",
        (null, { } r) => $"，房号{r}",
        ({ } u, null) => $"，住{u}单元",
        _ => "",
    };

    private static string Name(string residentName, bool group) => group ? "" : residentName;

    private static string Public(string text, string? room, bool group) => group ? PersonalData.Hide(text, room) : text;

    private static string Time(DateTimeOffset? local) =>
        local?.ToString("M月d日 HH:mm", CultureInfo.InvariantCulture) ?? "";

    private static string Describe(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{span.TotalHours:0.#}小时" : $"{span.TotalMinutes:0}分钟";
}
