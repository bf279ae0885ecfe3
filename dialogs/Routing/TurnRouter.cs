using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Engine;
using CommunityBot.Dialogs.Directory;
using CommunityBot.Dialogs.Faq;
using CommunityBot.Dialogs.Feedback;
using CommunityBot.Dialogs.Grievance;
using CommunityBot.Dialogs.Handoff;
using CommunityBot.Dialogs.Notices;
using CommunityBot.Dialogs.Tickets;
using CommunityBot.Dialogs.Understanding;
using Microsoft.Extensions.Options;

namespace CommunityBot.Dialogs.Routing;

/// <summary>
/// The bot: continues the resident's active dialog, or reads the message and answers it, offers
/// "您是想问：", says honestly that it does not know, or passes the resident to a person.
/// </summary>
public sealed partial class TurnRouter : IBot
{
    private static readonly CardAction[] Examples =
    [
        new("物业电话多少", "物业电话多少"),
        new("垃圾分类怎么分", "垃圾分类怎么分"),
        new("长者食堂几点开饭", "长者食堂几点开饭"),
    ];

    private static readonly string[] StatusTriggers = ["我的工单", "工单进度", "查工单", "查询工单", "我反映的问题"];

    private readonly DialogRunner _runner;
    private readonly GrievanceDialog _grievance;
    private readonly ITicketDesk _desk;
    private readonly IUnderstanding _understanding;
    private readonly IFaqAnswers _answers;
    private readonly IMissLog _misses;
    private readonly IHumanHelp _humanHelp;
    private readonly IConversationMemory _memory;
    private readonly IDetailExtractor _details;
    private readonly INotices _notices;
    private readonly IGroupPlaces _places;
    private readonly RouterOptions _options;
    private readonly IFaqOutcomes? _outcomes;

    public TurnRouter(
        IDialogStateStore stateStore,
        IOptions<DialogOptions> dialogOptions,
        IUnderstanding understanding,
        IFaqAnswers answers,
        IMissLog misses,
        IHumanHelp humanHelp,
        IConversationMemory memory,
        ITicketDesk desk,
        IDirectory directory,
        IDetailExtractor details,
        INotices notices,
        IGroupPlaces places,
        IOptions<RouterOptions> options,
        IFaqOutcomes? outcomes = null)
    {
        _outcomes = outcomes;
        _desk = desk;
        _places = places;
        _details = details;
        _notices = notices;
        _grievance = new GrievanceDialog(directory, details, notices);
        _understanding = understanding;
        _answers = answers;
        _misses = misses;
        _humanHelp = humanHelp;
        _memory = memory;
        _options = options.Value;
        var dialogs = new DialogSet()
            .Add(new FaqClarifyDialog(answers), OnFaqChosenAsync)
            .Add(_grievance, OnGrievanceReportedAsync)
            .Add(new FeedbackDialog(), OnFeedbackAsync)
            .Add(new WorkerNoteDialog(), OnWorkerNoteAsync)
            .Add(new ContactDialog(details), OnContactAsync);
        _runner = new DialogRunner(dialogs, stateStore, dialogOptions);
    }

    /// <summary>The runner, for the pipeline's error handler to clear a resident's dialog.</summary>
    public DialogRunner Runner => _runner;

    public async Task OnTurnAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var inbound = turn.Inbound;
        if (inbound.Kind == InboundKind.Event)
        {
            await OnPromptEventAsync(turn, cancellationToken);
            return;
        }

        if (inbound.Kind == InboundKind.BotAdded)
        {
            await GreetAsync(turn, cancellationToken);
            // The staff member who added the assistant (when the channel says who) is asked which compound the group is.
            await _places.OfferTieAsync(inbound, turn.Now, cancellationToken);
            return;
        }

        if (inbound.IsGroup)
        {
            // The first directory worker heard in a group tied to nothing is asked, privately, which compound it is.
            await _places.OfferTieAsync(inbound, turn.Now, cancellationToken);
        }

        var continued = await _runner.ContinueAsync(turn, cancellationToken);
        switch (continued)
        {
            case ContinueResult.Handled:
                return;
            case ContinueResult.HumanRequested:
                await RequestHumanAsync(turn, cancellationToken);
                return;
            case ContinueResult.NoActiveDialog when !inbound.AddressedToBot:
                // In a group the assistant speaks only when @-mentioned or when it asked this resident something.
                turn.Ignore();
                return;
        }

        // A worker in a take-over: their private messages go to the resident.
        if (await _desk.RelayFromWorkerAsync(inbound, turn.Now, cancellationToken) is { } toWorker)
        {
            if (toWorker.Length > 0)
            {
                turn.Reply(toWorker);
            }

            return;
        }

        if (inbound.ButtonValue is { } button && IsCommandButton(button))
        {
            await OnStaleButtonAsync(turn, button, cancellationToken);
            return;
        }

        // A button of another resident's question in the group (their survey, their category list): it is theirs to
        // answer. Say whose it is and do nothing else.
        if (inbound.ButtonValue is not null && inbound.IsGroup && await _runner.OwnerOfChoiceAsync(turn, cancellationToken) is { } owner)
        {
            turn.Reply($"这是{(owner.Length > 0 ? owner : "其他居民")}的问题，请由本人回答。您有需要可以直接@我。");
            return;
        }

        // Other buttons (examples, "登记报修") carry text, as if the resident had typed it.
        var text = (inbound.ButtonValue ?? inbound.Text).Trim();
        if (text.Length == 0)
        {
            turn.Reply(OutboundMessage.WithButtons($"您好，我是{_options.Name}，有什么可以帮您？可以直接问我，例如：", Examples));
            return;
        }

        switch (Interruptions.Detect(text))
        {
            case Interruption.Help:
                turn.Reply(OutboundMessage.WithButtons(HelpText(), Examples));
                return;
            case Interruption.Cancel:
                turn.Reply("当前没有进行中的事项。有需要随时@我。");
                return;
            case Interruption.Human:
                await RequestHumanAsync(turn, cancellationToken);
                return;
        }

        if (IsStatusQuery(text))
        {
            await ReplyStatusAsync(turn, cancellationToken);
            return;
        }

        // "我要投诉 …" is read as the problem alone: the trigger words only say that the resident is reporting.
        var wantsToReport = ReportTriggers.StartsReport(text);
        var place = _places.DefaultFor(inbound.Conversation);

        // A notice in force is more specific than any FAQ entry ("停水怎么办" in general vs. today's 停水 in 5号楼), so it
        // is tried first; "我要报修…" still goes to the intake dialog, which joins the notice when it covers the report.
        if (!wantsToReport && AnswerFromNotices(turn, text, place))
        {
            return;
        }

        var understanding = _understanding.Understand(wantsToReport ? ReportTriggers.Strip(text) : text);
        if (understanding.Faq is { } faq && _answers.AnswerFor(faq.Id, place) is { } answer)
        {
            if (understanding.Intent == Intent.Grievance && !wantsToReport)
            {
                // A question-shaped complaint ("暖气不热怎么办"): answer what we can and offer to file a report.
                turn.Reply(OutboundMessage.WithButtons(answer.Answer + "\n\n如果需要网格员上门处理，可以登记报修。", [new CardAction("登记报修", "我要报修：" + text)]));
                _outcomes?.Record(FaqOutcome.Answered, inbound.Channel);
                return;
            }

            if (!wantsToReport)
            {
                turn.Reply(answer.Answer);
                _outcomes?.Record(FaqOutcome.Answered, inbound.Channel);
                return;
            }
        }

        if (wantsToReport || understanding.Intent == Intent.Grievance)
        {
            var state = _grievance.Prefill(text, understanding, turn.Now, isPrivate: !inbound.IsGroup, reported: wantsToReport, place: place);
            await _runner.BeginAsync(turn, GrievanceDialog.DialogId, state, cancellationToken);
            return;
        }

        if (understanding.Suggestions.Count > 0)
        {
            var state = new FaqClarifyState { Question = text, CandidateIds = understanding.Suggestions.Select(s => s.Id).Take(3).ToList() };
            await _runner.BeginAsync(turn, FaqClarifyDialog.DialogId, state, cancellationToken);
            _outcomes?.Record(FaqOutcome.Suggested, inbound.Channel);
            return;
        }

        if (understanding.Intent == Intent.Chitchat)
        {
            turn.Reply(text.Contains('谢') ? "不客气，有需要随时@我。" : $"您好，我是{_options.Name}，有什么可以帮您？");
            return;
        }

        await ReplyMissAsync(turn, text, understanding.Suggestions.FirstOrDefault(), cancellationToken);
    }

    /// <summary>
    /// A proactive turn the desk asked for: the dialog that asks the resident starts here, in this dialog set, so its
    /// state and its prompt are this turn's like any other. An event naming nothing known is not for the bot.
    /// </summary>
    private async Task OnPromptEventAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var prompt = TicketPrompt.Read(turn.Inbound.EventValue);
        switch (turn.Inbound.EventName)
        {
            case TicketPrompt.FeedbackEvent when prompt is not null:
                await _runner.BeginAsync(turn, FeedbackDialog.DialogId, new FeedbackState { TicketNumber = prompt.TicketNumber, Note = prompt.Note }, cancellationToken);
                AttachToFirstReply(turn, prompt.Photos);
                return;
            case TicketPrompt.ContactEvent when prompt is not null:
                await _runner.BeginAsync(turn, ContactDialog.DialogId, new ContactState { TicketNumber = prompt.TicketNumber }, cancellationToken);
                return;
            default:
                turn.Ignore();
                return;
        }
    }

    /// <summary>
    /// The closing photo goes with the message that tells the resident it was done, wherever that message goes: to the
    /// group when the ticket was reported there (a photo of the repair is no personal data; the note beside it is
    /// masked for the group as always).
    /// </summary>
    private static void AttachToFirstReply(TurnContext turn, IReadOnlyList<string>? photos)
    {
        var attachments = (photos ?? []).Select(p => OutboundAttachment.Photo(p)).OfType<OutboundAttachment>().ToList();
        if (attachments.Count == 0 || turn.Replies.Count == 0)
        {
            return;
        }

        var replies = turn.Replies.ToList();
        turn.ClearReplies();
        turn.Reply(replies[0] with { Attachments = attachments });
        foreach (var reply in replies.Skip(1))
        {
            turn.Reply(reply);
        }
    }

    private bool AnswerFromNotices(TurnContext turn, string text, GroupPlace? defaultPlace)
    {
        // Most messages name no topic of a notice in force: only those are read for a place.
        if (_notices.About(text, null, null, turn.Now).Count == 0)
        {
            return false;
        }

        // A place only: an FAQ-like turn never runs the time and phone recognizers.
        var place = _details.Extract(text, turn.Now, DetailKinds.Location).Location;
        // "5号楼停水了吗" in 幸福里's group is about 幸福里's 5号楼.
        var compoundId = place?.CompoundId ?? defaultPlace?.CompoundId;
        var found = _notices.About(text, compoundId, place?.Building, turn.Now);
        if (found.Count == 0)
        {
            return false;
        }

        var offer = new CardAction("仍要报修", "我要报修：" + text);
        var namedPlace = compoundId is not null || place?.Building is not null;
        if (found.Count == 1 || namedPlace)
        {
            var shown = found.Take(3).ToList();
            var details = shown.Select(n => $"【{n.Title}】{n.Text}\n范围：{n.Where}\n时间：{n.Window}"
                + (n.HasStarted(turn.Now) ? "" : $"\n这个通知还没有开始，将于 {n.StartText} 开始。"));
            var advice = shown.Any(n => n.HasStarted(turn.Now))
                ? "这是已公告的情况，无需报修。如果您遇到的是别的问题，可以点「仍要报修」。"
                : "请提前做好准备。如果您现在遇到了别的问题，可以点「仍要报修」。";
            turn.Reply(OutboundMessage.WithButtons(string.Join("\n\n", details) + "\n" + advice, [offer]));
            return true;
        }

        // Several notices and no place named: a short list, so the group is not flooded with every notice's text.
        var lines = found.Take(5).Select((n, i) => $"{i + 1}. 【{n.Title}】{n.Where}，{n.Window}{(n.HasStarted(turn.Now) ? "" : "（未开始）")}");
        turn.Reply(OutboundMessage.WithButtons(
            "目前有这些通知：\n" + string.Join("\n", lines) + "\n说出小区和楼号（如“5号楼停水了吗”）可以看具体内容。",
            [offer]));
        return true;
    }

    private async Task OnGrievanceReportedAsync(TurnContext turn, GrievanceReport report, CancellationToken cancellationToken)
    {
        if (report.NoticeId is { } noticeId && await _notices.JoinAsync(noticeId, report, turn.Now, cancellationToken) is { } notice)
        {
            turn.Reply($"这是已公告的情况：【{notice.Title}】{notice.Where}，{notice.Window}。{notice.Text}\n已记下您的反映（共{notice.Reports}人反映），不用另外报修，也不会生成工单。");
            return;
        }

        // No notice, or it was withdrawn or ended while the resident was answering: a ticket as usual.
        var receipt = await _desk.FileAsync(
            report with { NoticeId = null, SubmissionKey = turn.Inbound.Channel + "|" + turn.Inbound.Id }, turn.Now, cancellationToken);
        turn.Reply(TicketMessages.Receipt(receipt));
    }

    private async Task OnFeedbackAsync(TurnContext turn, FeedbackResult result, CancellationToken cancellationToken) =>
        turn.Reply(TicketMessages.ToResident(
            await _desk.RecordFeedbackAsync(result.TicketNumber, turn.Inbound.Conversation, result.Fixed, result.Satisfied, turn.Now, cancellationToken)));

    private async Task OnContactAsync(TurnContext turn, ContactResult contact, CancellationToken cancellationToken) =>
        turn.Reply(TicketMessages.ToResident(await _desk.RecordContactAsync(contact, turn.Inbound.Conversation, turn.Now, cancellationToken)));

    private async Task OnWorkerNoteAsync(TurnContext turn, WorkerNote note, CancellationToken cancellationToken)
    {
        var result = await _desk.ActAsync(new WorkerActionRequest(note.TicketNumber, note.Action, turn.Inbound.Conversation, note.Text, turn.Now, Photos: note.Photos), cancellationToken);
        turn.Reply(TicketMessages.ToActor(result));
    }

    private async Task OnTicketButtonAsync(TurnContext turn, string number, WorkerAction action, CancellationToken cancellationToken)
    {
        var result = await _desk.ActAsync(new WorkerActionRequest(number, action, turn.Inbound.Conversation, "", turn.Now), cancellationToken);
        if (result.NeedsNote)
        {
            await _runner.BeginAsync(turn, WorkerNoteDialog.DialogId, new WorkerNoteState { TicketNumber = number, Action = action }, cancellationToken);
            return;
        }

        turn.Reply(TicketMessages.ToActor(result));
    }

    private async Task ReplyStatusAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var mine = await _desk.MineAsync(turn.Inbound.Channel, turn.Inbound.UserId, cancellationToken);

        // "查询 WT20261123-0042": that ticket, and only if it is the resident's own. Another's is "not found" whoever
        // holds it: a ticket number must not tell a stranger who reported what.
        var asked = TicketNumberPattern().Match(turn.Inbound.Text.ToUpperInvariant());
        if (asked.Success)
        {
            turn.Reply(TicketMessages.Status(asked.Value, mine.FirstOrDefault(t => t.Number == asked.Value)));
            return;
        }

        turn.Reply(TicketMessages.Mine(mine));
    }

    private static bool IsCommandButton(string value) =>
        value.StartsWith("faq:", StringComparison.Ordinal) || value.StartsWith(TicketButtons.Prefix, StringComparison.Ordinal)
        || value.StartsWith(TiePrefix, StringComparison.Ordinal);

    /// <summary>The value of a button that ties a group to a compound: <c>grp:{compound id}|{group key}</c>.</summary>
    public const string TiePrefix = "grp:";

    /// <summary>The value of the tie card's button for not tying the group now.</summary>
    public const string TieLater = "grp:later";

    public static string TieButton(string compoundId, string groupKey) => $"{TiePrefix}{compoundId}|{groupKey}";

    private static bool IsStatusQuery(string text) =>
        StatusTriggers.Any(t => text.Contains(t, StringComparison.Ordinal))
        || (text.StartsWith("查询", StringComparison.Ordinal) && text.Contains("WT", StringComparison.OrdinalIgnoreCase))
        // A ticket number on its own ("WT20261123-0042", copied from the receipt) asks for that ticket.
        || TicketNumberPattern().Match(text.ToUpperInvariant()) is { Success: true } number && number.Length >= text.Trim().Length - 4;

    private async Task OnFaqChosenAsync(TurnContext turn, FaqChoice choice, CancellationToken cancellationToken)
    {
        if (choice.EntryId is { } id && _answers.AnswerFor(id, _places.DefaultFor(turn.Inbound.Conversation)) is { } answer)
        {
            turn.Reply(answer.Answer);
            // The knowledge base lacked this way of asking: the office sees it next to the misses, one click from adding it.
            var inbound = turn.Inbound;
            await _misses.RecordAsync(
                new FaqMiss(choice.Question, inbound.Channel, inbound.Conversation.ConversationId, turn.Now, id, 0, Chosen: true), cancellationToken);
            return;
        }

        await ReplyMissAsync(turn, choice.Question, best: null, cancellationToken);
    }

    private async Task OnStaleButtonAsync(TurnContext turn, string value, CancellationToken cancellationToken)
    {
        if (TicketButtons.TryParse(value, out var number, out var action))
        {
            await OnTicketButtonAsync(turn, number, action, cancellationToken);
            return;
        }

        if (value == TieLater)
        {
            turn.Reply("好的，以后可以在管理后台「群管理」里设置这个群所在的小区。");
            return;
        }

        if (value.StartsWith(TiePrefix, StringComparison.Ordinal) && value[TiePrefix.Length..].Split('|', 2) is [{ Length: > 0 } compoundId, { Length: > 0 } groupKey])
        {
            turn.Reply(await _places.TieAsync(turn.Inbound, groupKey, compoundId, turn.Now, cancellationToken));
            return;
        }

        // A button from an earlier card (its dialog already over, or pressed by another resident in the group).
        if (value.StartsWith("faq:", StringComparison.Ordinal) && value != FaqClarifyDialog.NoneValue
            && _answers.AnswerFor(value["faq:".Length..], _places.DefaultFor(turn.Inbound.Conversation)) is { } answer)
        {
            turn.Reply(answer.Answer);
            return;
        }

        turn.Reply(OutboundMessage.WithButtons("这个按钮已经过期了，请直接告诉我您想问什么。", Examples));
    }

    private async Task ReplyMissAsync(TurnContext turn, string question, FaqCandidate? best, CancellationToken cancellationToken)
    {
        var inbound = turn.Inbound;
        await _misses.RecordAsync(
            new FaqMiss(question, inbound.Channel, inbound.Conversation.ConversationId, turn.Now, best?.Id, best?.Score ?? 0),
            cancellationToken);
        _outcomes?.Record(FaqOutcome.Missed, inbound.Channel);
        turn.Reply(OutboundMessage.WithButtons(
            "抱歉，这个问题我暂时答不上来，已经记下来补充到知识库。需要的话点「转人工」，我请工作人员联系您。",
            [new CardAction("转人工", "人工")]));
    }

    private async Task RequestHumanAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var inbound = turn.Inbound;
        await _humanHelp.RequestAsync(new HelpRequest(inbound.Conversation, inbound.Text, turn.Now), cancellationToken);
        turn.Reply($"好的，已转给{_options.OfficeName}的工作人员，会尽快联系您。");
    }

    private async Task GreetAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var conversation = turn.Inbound.Conversation;
        if (!await _memory.MarkOnceAsync($"greeted/{conversation.Channel}/{conversation.ConversationId}", cancellationToken))
        {
            return;
        }

        turn.Reply(OutboundMessage.WithButtons(
            $"大家好，我是{_options.OfficeName}的社区助手{_options.Name}。在群里@我就能问物业、停车、水电气暖、垃圾分类、证件办理等问题，回复「帮助」看我能做什么。",
            Examples));
    }

    private string HelpText() =>
        $"我是{_options.Name}，可以回答社区常见问题（物业、停车、水电气暖、垃圾分类、证件办理、长者食堂等）。\n" +
        "· 在群里@我再说问题；私聊直接说。\n· 任何时候回复「取消」退出当前事项，「人工」找工作人员。";

    [System.Text.RegularExpressions.GeneratedRegex(@"WT\d{8}-\d{4}")]
    private static partial System.Text.RegularExpressions.Regex TicketNumberPattern();
}
