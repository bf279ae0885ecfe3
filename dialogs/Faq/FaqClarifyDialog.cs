using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Engine;
using CommunityBot.Dialogs.Understanding;

namespace CommunityBot.Dialogs.Faq;

/// <summary>"您是想问：" — offers up to three knowledge-base entries as buttons and returns the one chosen.</summary>
public sealed class FaqClarifyDialog(IFaqAnswers answers) : Dialog<FaqClarifyDialog.Step, FaqClarifyState, FaqChoice>
{
    public const string DialogId = "faq-clarify";
    public const string NoneValue = "faq:none";

    public enum Step
    {
        Choose,
    }

    public override string Id => DialogId;

    public static string ButtonValue(string entryId) => "faq:" + entryId;

    protected override Task<DialogTurn<FaqChoice>> BeginAsync(TurnContext turn, FaqClarifyState state, CancellationToken cancellationToken)
    {
        var buttons = state.CandidateIds
            .Select(answers.Find)
            .OfType<FaqAnswer>()
            .Take(3)
            .Select(a => new CardAction(a.Question, ButtonValue(a.Id)))
            .Append(new CardAction("都不是", NoneValue))
            .ToList();

        // Other text is a new question, not a wrong answer: the resident simply moved on.
        return Task.FromResult(DialogTurn<FaqChoice>.Ask(Step.Choose, Prompt.ForChoice("您是想问：", buttons, allowOtherInput: true)));
    }

    protected override Task<DialogTurn<FaqChoice>> OnAnswerAsync(
        TurnContext turn, FaqClarifyState state, Step step, PromptAnswer answer, CancellationToken cancellationToken)
    {
        var value = answer.Choice!.Value;
        var entryId = value == NoneValue ? null : value["faq:".Length..];
        return Task.FromResult(DialogTurn<FaqChoice>.Complete(new FaqChoice(entryId, state.Question)));
    }

    protected override string HelpFor(Step step) => "点一个按钮，或回复序号（如「1」）；都不是的话点「都不是」，也可以直接换个说法再问。";
}

/// <summary>What the clarify dialog remembers: the question asked and the candidates offered.</summary>
public sealed class FaqClarifyState
{
    public string Question { get; set; } = "";
    public List<string> CandidateIds { get; set; } = [];
}

/// <summary>The entry the resident chose, or null when none fitted.</summary>
public sealed record FaqChoice(string? EntryId, string Question);
