using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Engine;
using CommunityBot.Dialogs.Understanding;

namespace CommunityBot.Dialogs.Tickets;

/// <summary>
/// After a ticket is filed in a group, asks the resident privately (never in front of the group) for a phone number
/// and, if they like, their room, so the worker can reach them. Started by the router in the proactive turn the desk
/// asks for (<see cref="TicketPrompt.ContactEvent"/>).
/// </summary>
public sealed class ContactDialog(IDetailExtractor details) : Dialog<ContactDialog.Step, ContactState, ContactResult>
{
    public const string DialogId = "contact";

    private static readonly string[] SkipWords = ["跳过", "不用", "不留", "算了", "不需要", "no"];

    public enum Step
    {
        Contact,
    }

    public override string Id => DialogId;

    protected override Task<DialogTurn<ContactResult>> BeginAsync(TurnContext turn, ContactState state, CancellationToken cancellationToken) =>
        Task.FromResult(DialogTurn<ContactResult>.Ask(Step.Contact, Prompt.ForText(
            $"您在群里反映的问题已登记（工单 {state.TicketNumber}）。方便的话在这里留个电话（也可以加上房号），网格员好联系您；这里只有您和我能看到。不想留请点「跳过」。",
            buttons: [new CardAction("跳过", "跳过")])));

    protected override Task<DialogTurn<ContactResult>> OnAnswerAsync(
        TurnContext turn, ContactState state, Step step, PromptAnswer answer, CancellationToken cancellationToken)
    {
        var text = answer.Text.Trim();
        if (SkipWords.Contains(PromptValidator.Normalize(text), StringComparer.Ordinal))
        {
            return Task.FromResult(DialogTurn<ContactResult>.Complete(new ContactResult(state.TicketNumber, null, null, null)));
        }

        var found = details.Extract(text, turn.Now, DetailKinds.Phones | DetailKinds.Location);
        if (found.Phones.Count == 0)
        {
            return Task.FromResult(DialogTurn<ContactResult>.Retry("没看到电话号码。请发一个手机号或座机号（如 13800001234），不想留请回复「跳过」。"));
        }

        return Task.FromResult(DialogTurn<ContactResult>.Complete(new ContactResult(state.TicketNumber, found.Phones[0], found.Location?.Room, found.Location?.Unit)));
    }

    protected override string HelpFor(Step step) => "电话只给处理工单的网格员看，不会出现在群里。不想留请回复「跳过」。";
}

/// <summary>Which ticket the contact is for.</summary>
public sealed class ContactState
{
    public string TicketNumber { get; set; } = "";
}

/// <summary>The resident's contact (all null when they skipped); "3单元201" is <see cref="Unit"/> 3 and <see cref="Room"/> 201.</summary>
public sealed record ContactResult(string TicketNumber, string? Phone, string? Room, string? Unit = null);
