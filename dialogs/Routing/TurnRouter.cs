using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Engine;
using CommunityBot.Dialogs.Faq;
using CommunityBot.Dialogs.Handoff;
using CommunityBot.Dialogs.Understanding;
using Microsoft.Extensions.Options;

namespace CommunityBot.Dialogs.Routing;

/// <summary>
/// The bot: continues the resident's active dialog, or reads the message and answers it, offers
/// "您是想问：", says honestly that it does not know, or passes the resident to a person.
/// </summary>
public sealed class TurnRouter : IBot
{
    private static readonly CardAction[] Examples =
    [
        new("物业电话多少", "物业电话多少"),
        new("垃圾分类怎么分", "垃圾分类怎么分"),
        new("长者食堂几点开饭", "长者食堂几点开饭"),
    ];

    private readonly DialogRunner _runner;
    private readonly IUnderstanding _understanding;
    private readonly IFaqAnswers _answers;
    private readonly IMissLog _misses;
    private readonly IHumanHelp _humanHelp;
    private readonly IConversationMemory _memory;
    private readonly RouterOptions _options;

    public TurnRouter(
        IDialogStateStore stateStore,
        IOptions<DialogOptions> dialogOptions,
        IUnderstanding understanding,
        IFaqAnswers answers,
        IMissLog misses,
        IHumanHelp humanHelp,
        IConversationMemory memory,
        IOptions<RouterOptions> options)
    {
        _understanding = understanding;
        _answers = answers;
        _misses = misses;
        _humanHelp = humanHelp;
        _memory = memory;
        _options = options.Value;
        var dialogs = new DialogSet().Add(new FaqClarifyDialog(answers), OnFaqChosenAsync);
        _runner = new DialogRunner(dialogs, stateStore, dialogOptions);
    }

    /// <summary>The runner, for the pipeline's error handler to clear a resident's dialog.</summary>
    public DialogRunner Runner => _runner;

    public async Task OnTurnAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var inbound = turn.Inbound;
        if (inbound.Kind == InboundKind.BotAdded)
        {
            await GreetAsync(turn, cancellationToken);
            return;
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

        if (inbound.ButtonValue is { } button)
        {
            await OnStaleButtonAsync(turn, button, cancellationToken);
            return;
        }

        var text = inbound.Text.Trim();
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

        var understanding = _understanding.Understand(text);
        if (understanding.Faq is { } faq && _answers.Find(faq.Id) is { } answer)
        {
            turn.Reply(answer.Answer);
            return;
        }

        if (understanding.Suggestions.Count > 0)
        {
            var state = new FaqClarifyState { Question = text, CandidateIds = understanding.Suggestions.Select(s => s.Id).Take(3).ToList() };
            await _runner.BeginAsync(turn, FaqClarifyDialog.DialogId, state, cancellationToken);
            return;
        }

        if (understanding.Intent == Intent.Chitchat)
        {
            turn.Reply(text.Contains('谢') ? "不客气，有需要随时@我。" : $"您好，我是{_options.Name}，有什么可以帮您？");
            return;
        }

        await ReplyMissAsync(turn, text, understanding.Suggestions.FirstOrDefault(), cancellationToken);
    }

    private async Task OnFaqChosenAsync(TurnContext turn, FaqChoice choice, CancellationToken cancellationToken)
    {
        if (choice.EntryId is { } id && _answers.Find(id) is { } answer)
        {
            turn.Reply(answer.Answer);
            return;
        }

        await ReplyMissAsync(turn, choice.Question, best: null, cancellationToken);
    }

    private async Task OnStaleButtonAsync(TurnContext turn, string value, CancellationToken cancellationToken)
    {
        // A button from an earlier card (its dialog already over, or pressed by another resident in the group).
        if (value.StartsWith("faq:", StringComparison.Ordinal) && value != FaqClarifyDialog.NoneValue
            && _answers.Find(value["faq:".Length..]) is { } answer)
        {
            turn.Reply(answer.Answer);
            return;
        }

        if (Interruptions.Detect(value) == Interruption.Human)
        {
            await RequestHumanAsync(turn, cancellationToken);
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
}
