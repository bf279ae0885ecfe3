using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Engine;

namespace CommunityBot.Dialogs.Feedback;

/// <summary>
/// Closing the loop: after a ticket is closed the resident is asked two separate questions, "fixed?" and
/// "satisfied?". Started by the router in the proactive turn the desk asks for (<see cref="Tickets.TicketPrompt.FeedbackEvent"/>).
/// </summary>
public sealed class FeedbackDialog : Dialog<FeedbackDialog.Step, FeedbackState, FeedbackResult>
{
    public const string DialogId = "feedback";

    public enum Step
    {
        Fixed,
        Satisfied,
    }

    public override string Id => DialogId;

    protected override Task<DialogTurn<FeedbackResult>> BeginAsync(TurnContext turn, FeedbackState state, CancellationToken cancellationToken) =>
        Task.FromResult(DialogTurn<FeedbackResult>.Ask(Step.Fixed, Prompt.ForChoice(
            $"您反映的问题（工单 {state.TicketNumber}）已办结{(state.Note.Length > 0 ? "：" + state.Note : "，请看办结照片。")}\n问题解决了吗？",
            [new CardAction("已解决", "是"), new CardAction("没解决", "否")],
            "请回复「是」或「否」：问题解决了吗？")));

    protected override Task<DialogTurn<FeedbackResult>> OnAnswerAsync(
        TurnContext turn, FeedbackState state, Step step, PromptAnswer answer, CancellationToken cancellationToken)
    {
        if (step == Step.Fixed)
        {
            state.Fixed = answer.Choice!.Value == "是";
            return Task.FromResult(DialogTurn<FeedbackResult>.Ask(Step.Satisfied, Prompt.ForChoice(
                "您对这次处理满意吗？",
                [new CardAction("满意", "是"), new CardAction("不满意", "否")],
                "请回复「是」或「否」：对处理满意吗？")));
        }

        return Task.FromResult(DialogTurn<FeedbackResult>.Complete(new FeedbackResult(state.TicketNumber, state.Fixed, answer.Choice!.Value == "是")));
    }

    protected override string HelpFor(Step step) => "您的回答会计入网格的考核；没解决或不满意，工单会重新办理。";
}

/// <summary>The ticket being asked about and the first answer.</summary>
public sealed class FeedbackState
{
    public string TicketNumber { get; set; } = "";
    public string Note { get; set; } = "";
    public bool Fixed { get; set; }
}

/// <summary>The resident's two answers.</summary>
public sealed record FeedbackResult(string TicketNumber, bool Fixed, bool Satisfied);
