using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Engine;

namespace CommunityBot.Dialogs.Tickets;

/// <summary>
/// Asks a worker for the text an action needs (the reply to relay, the closing note, the reason to return). For 办结 the
/// worker may send the closing photo with the note or instead of it, and is offered one (with 「跳过」) after a typed note.
/// </summary>
public sealed class WorkerNoteDialog : Dialog<WorkerNoteDialog.Step, WorkerNoteState, WorkerNote>
{
    public const string DialogId = "worker-note";

    public enum Step
    {
        Note,
        /// <summary>办结 only: the closing photo after a typed note.</summary>
        Photo,
    }

    public override string Id => DialogId;

    protected override Task<DialogTurn<WorkerNote>> BeginAsync(TurnContext turn, WorkerNoteState state, CancellationToken cancellationToken)
    {
        var question = state.Action switch
        {
            WorkerAction.Reply => $"请输入要回复居民的内容（工单 {state.TicketNumber}）：",
            WorkerAction.Close => $"请填写办结说明（工单 {state.TicketNumber}），会转告居民；也可以直接发现场照片：",
            WorkerAction.Return => $"请说明退回原因（工单 {state.TicketNumber}）：",
            WorkerAction.Transfer => $"请写上接手人的姓名和转派原因（工单 {state.TicketNumber}），例如「李强 7号楼属于二网格」：",
            WorkerAction.CoHandle => $"请写上联动人的姓名和需要协助的事项（工单 {state.TicketNumber}）：",
            _ => $"请补充说明（工单 {state.TicketNumber}）：",
        };
        return Task.FromResult(DialogTurn<WorkerNote>.Ask(
            Step.Note, Prompt.ForText(question, minLength: 2, acceptsAttachments: state.Action == WorkerAction.Close)));
    }

    protected override Task<DialogTurn<WorkerNote>> OnAnswerAsync(
        TurnContext turn, WorkerNoteState state, Step step, PromptAnswer answer, CancellationToken cancellationToken)
    {
        if (state.Action != WorkerAction.Close)
        {
            return Task.FromResult(DialogTurn<WorkerNote>.Complete(new WorkerNote(state.TicketNumber, state.Action, answer.Text)));
        }

        if (step == Step.Note)
        {
            state.Note = answer.Text;
        }

        if (answer.Attachments.Count > 0)
        {
            // Only a picture at a web address can reach a resident on every channel; anything else would be lost on the way.
            var photos = answer.Attachments
                .Where(a => a.ContentType.StartsWith("image", StringComparison.OrdinalIgnoreCase) && OutboundAttachment.IsWebUrl(a.Url))
                .Select(a => a.Url)
                .ToList();
            if (photos.Count == 0)
            {
                return Task.FromResult(DialogTurn<WorkerNote>.Retry(step == Step.Note
                    ? "这张照片没法转给居民（只能转发网络图片），请重新发一张，或直接输入办结说明。"
                    : "这张照片没法转给居民（只能转发网络图片），请重新发一张，或点「跳过」。"));
            }

            return Task.FromResult(DialogTurn<WorkerNote>.Complete(new WorkerNote(state.TicketNumber, state.Action, state.Note, photos)));
        }

        if (step == Step.Note)
        {
            return Task.FromResult(DialogTurn<WorkerNote>.Ask(
                Step.Photo, Prompt.ForAttachment("要附一张办结现场照片吗？居民会看到。发照片，或点「跳过」。", optional: true)));
        }

        return Task.FromResult(DialogTurn<WorkerNote>.Complete(new WorkerNote(state.TicketNumber, state.Action, state.Note)));
    }
}

/// <summary>Which ticket and action the note is for, and (办结) the note typed before the photo step.</summary>
public sealed class WorkerNoteState
{
    public string TicketNumber { get; set; } = "";
    public WorkerAction Action { get; set; }
    public string Note { get; set; } = "";
}

/// <summary>The worker's note for an action, and the closing photos' http(s) addresses (办结 only).</summary>
public sealed record WorkerNote(string TicketNumber, WorkerAction Action, string Text, IReadOnlyList<string>? Photos = null);
