using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Engine;

namespace CommunityBot.Dialogs.Tickets;

/// <summary>Asks a worker for the text an action needs (the reply to relay, the closing note, the reason to return).</summary>
public sealed class WorkerNoteDialog : Dialog<WorkerNoteDialog.Step, WorkerNoteState, WorkerNote>
{
    public const string DialogId = "worker-note";

    public enum Step
    {
        Note,
    }

    public override string Id => DialogId;

    protected override Task<DialogTurn<WorkerNote>> BeginAsync(TurnContext turn, WorkerNoteState state, CancellationToken cancellationToken)
    {
        var question = state.Action switch
        {
            WorkerAction.Reply => $"请输入要回复居民的内容（工单 {state.TicketNumber}）：",
            WorkerAction.Close => $"请填写办结说明（工单 {state.TicketNumber}），会转告居民：",
            WorkerAction.Return => $"请说明退回原因（工单 {state.TicketNumber}）：",
            WorkerAction.Transfer => $"请写上接手人的姓名和转派原因（工单 {state.TicketNumber}），例如「李强 7号楼属于二网格」：",
            WorkerAction.CoHandle => $"请写上联动人的姓名和需要协助的事项（工单 {state.TicketNumber}）：",
            _ => $"请补充说明（工单 {state.TicketNumber}）：",
        };
        return Task.FromResult(DialogTurn<WorkerNote>.Ask(Step.Note, Prompt.ForText(question, minLength: 2)));
    }

    protected override Task<DialogTurn<WorkerNote>> OnAnswerAsync(
        TurnContext turn, WorkerNoteState state, Step step, PromptAnswer answer, CancellationToken cancellationToken) =>
        Task.FromResult(DialogTurn<WorkerNote>.Complete(new WorkerNote(state.TicketNumber, state.Action, answer.Text)));
}

/// <summary>Which ticket and action the note is for.</summary>
public sealed class WorkerNoteState
{
    public string TicketNumber { get; set; } = "";
    public WorkerAction Action { get; set; }
}

/// <summary>The worker's note for an action.</summary>
public sealed record WorkerNote(string TicketNumber, WorkerAction Action, string Text);
