using CommunityBot.Dialogs.Conversation;
using Microsoft.Extensions.Options;

namespace CommunityBot.Dialogs.Engine;

/// <summary>
/// Drives a resident's active dialog: loads its state, expires it when abandoned, handles the
/// interruption words, validates the answer to the pending prompt, runs the step and persists the result.
/// </summary>
public sealed class DialogRunner(DialogSet dialogs, IDialogStateStore store, IOptions<DialogOptions> options)
{
    private readonly DialogOptions _options = options.Value;

    /// <summary>True when the resident has an unexpired dialog waiting for an answer.</summary>
    public async Task<bool> HasActiveDialogAsync(TurnContext turn, CancellationToken cancellationToken) =>
        await LoadActiveAsync(turn, cancellationToken) is not null;

    /// <summary>Gives the message to the active dialog, if there is one.</summary>
    public async Task<ContinueResult> ContinueAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var state = await LoadActiveAsync(turn, cancellationToken);
        if (state is null)
        {
            return ContinueResult.NoActiveDialog;
        }

        var dialog = dialogs.Find(state.DialogId);
        if (dialog is null || state.Prompt is null)
        {
            await store.DeleteAsync(turn.Inbound.StateKey, cancellationToken);
            return ContinueResult.NoActiveDialog;
        }

        var interruption = turn.Inbound.ButtonValue is null ? Interruptions.Detect(turn.Inbound.Text) : Interruption.None;
        switch (interruption)
        {
            case Interruption.Cancel:
                await store.DeleteAsync(turn.Inbound.StateKey, cancellationToken);
                turn.Reply("好的，已取消。有需要随时@我。");
                return ContinueResult.Handled;
            case Interruption.Help:
                turn.Reply(dialog.HelpFor(state.Step));
                turn.Reply(Prompt.Render(state.Prompt, retry: false));
                state.LastActive = turn.Now;
                await store.SaveAsync(turn.Inbound.StateKey, state, cancellationToken);
                return ContinueResult.Handled;
            case Interruption.Human:
                await store.DeleteAsync(turn.Inbound.StateKey, cancellationToken);
                return ContinueResult.HumanRequested;
        }

        var answer = PromptValidator.Validate(state.Prompt, turn.Inbound);
        if (answer is null)
        {
            if (state.Prompt.AllowOtherInput)
            {
                await store.DeleteAsync(turn.Inbound.StateKey, cancellationToken);
                return ContinueResult.FellThrough;
            }

            await RetryAsync(turn, state, message: null, cancellationToken);
            return ContinueResult.Handled;
        }

        var outcome = await dialog.ContinueAsync(turn, state.Step, state.Data, answer, cancellationToken);
        await ApplyAsync(turn, dialog, state, outcome, cancellationToken);
        return ContinueResult.Handled;
    }

    /// <summary>Starts a dialog for this resident, replacing any dialog they had.</summary>
    public async Task BeginAsync(TurnContext turn, string dialogId, object? initialState, CancellationToken cancellationToken)
    {
        var dialog = dialogs.Find(dialogId) ?? throw new ArgumentException($"No dialog '{dialogId}' is registered.", nameof(dialogId));
        var state = new DialogState
        {
            DialogId = dialogId,
            StartedAt = turn.Now,
            LastActive = turn.Now,
            OwnerId = turn.Inbound.UserId,
            OwnerName = turn.Inbound.Conversation.UserName,
        };
        var outcome = await dialog.BeginAsync(turn, initialState, cancellationToken);
        await ApplyAsync(turn, dialog, state, outcome, cancellationToken);
    }

    /// <summary>
    /// When the button this turn pressed belongs to the pending question of someone else in the conversation (a survey
    /// sent to one resident in the group, pressed by another), that person's name ("" when unknown); null otherwise.
    /// </summary>
    public async Task<string?> OwnerOfChoiceAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        if (turn.Inbound.ButtonValue is not { } value)
        {
            return null;
        }

        var conversation = turn.Inbound.Conversation;
        var others = await store.InConversationAsync($"{conversation.Channel}/{conversation.ConversationId}/", cancellationToken);
        var owner = others.FirstOrDefault(s =>
            s.OwnerId != turn.Inbound.UserId
            && turn.Now - s.LastActive <= _options.Expiry
            && s.Prompt is { } prompt && prompt.Choices.Any(c => string.Equals(c.Value, value, StringComparison.Ordinal)));
        return owner?.OwnerName;
    }

    /// <summary>Forgets the resident's dialog (used by the turn error handler).</summary>
    public Task ClearAsync(string stateKey, CancellationToken cancellationToken) => store.DeleteAsync(stateKey, cancellationToken);

    private async Task<DialogState?> LoadActiveAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var state = await store.LoadAsync(turn.Inbound.StateKey, cancellationToken);
        if (state is null)
        {
            return null;
        }

        if (turn.Now - state.LastActive > _options.Expiry)
        {
            // Abandoned dialogs expire quietly: the resident is not told, the next message starts afresh.
            await store.DeleteAsync(turn.Inbound.StateKey, cancellationToken);
            return null;
        }

        return state;
    }

    private async Task ApplyAsync(TurnContext turn, IDialog dialog, DialogState state, DialogStepOutcome outcome, CancellationToken cancellationToken)
    {
        switch (outcome.Kind)
        {
            case DialogTurnKind.Ask:
                state.Step = outcome.Step!;
                state.Data = outcome.StateJson ?? "{}";
                state.Prompt = outcome.Prompt!.ToState(_options.MaxPromptAttempts);
                state.LastActive = turn.Now;
                turn.Reply(Prompt.Render(state.Prompt, retry: false));
                await store.SaveAsync(turn.Inbound.StateKey, state, cancellationToken);
                break;
            case DialogTurnKind.Retry:
                state.Data = outcome.StateJson ?? state.Data;
                await RetryAsync(turn, state, outcome.Message, cancellationToken);
                break;
            case DialogTurnKind.Complete:
                await store.DeleteAsync(turn.Inbound.StateKey, cancellationToken);
                await dialogs.CompleteAsync(dialog.Id, turn, outcome.Result, cancellationToken);
                break;
            case DialogTurnKind.Cancel:
                await store.DeleteAsync(turn.Inbound.StateKey, cancellationToken);
                if (outcome.Message is { Length: > 0 } message)
                {
                    turn.Reply(message);
                }

                break;
        }
    }

    private async Task RetryAsync(TurnContext turn, DialogState state, string? message, CancellationToken cancellationToken)
    {
        var prompt = state.Prompt!;
        prompt.Attempts++;
        if (prompt.Attempts >= prompt.MaxAttempts)
        {
            await store.DeleteAsync(turn.Inbound.StateKey, cancellationToken);
            turn.Reply("抱歉，我没能理解您的回答，这次先到这里。需要时再@我，或回复「人工」找工作人员。");
            return;
        }

        if (message is { Length: > 0 })
        {
            turn.Reply(message);
        }

        turn.Reply(Prompt.Render(prompt, retry: message is null));
        state.LastActive = turn.Now;
        await store.SaveAsync(turn.Inbound.StateKey, state, cancellationToken);
    }
}

/// <summary>What happened when a message was offered to the active dialog.</summary>
public enum ContinueResult
{
    /// <summary>No dialog was waiting: route the message as a new request.</summary>
    NoActiveDialog,
    /// <summary>The dialog consumed the message.</summary>
    Handled,
    /// <summary>The message did not answer an open-ended choice; the dialog ended and the message is a new request.</summary>
    FellThrough,
    /// <summary>The resident asked for a person (人工); the dialog was ended.</summary>
    HumanRequested,
}
