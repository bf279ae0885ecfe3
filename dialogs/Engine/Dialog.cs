using System.Text.Json;
using CommunityBot.Dialogs.Conversation;

namespace CommunityBot.Dialogs.Engine;

/// <summary>
/// A dialog: a small state machine over named steps (<typeparamref name="TStep"/>), with its own persisted
/// state (<typeparamref name="TState"/>) and a typed result (<typeparamref name="TResult"/>) handed back to
/// whoever started it, as Bot Builder's component dialogs return their result to the parent.
/// </summary>
public abstract class Dialog<TStep, TState, TResult> : IDialog
    where TStep : struct, Enum
    where TState : class, new()
{
    public abstract string Id { get; }

    /// <summary>Starts the dialog; <paramref name="state"/> may already be filled by the starter (pre-filled details).</summary>
    protected abstract Task<DialogTurn<TResult>> BeginAsync(TurnContext turn, TState state, CancellationToken cancellationToken);

    /// <summary>Receives the validated answer to the prompt that <paramref name="step"/> asked.</summary>
    protected abstract Task<DialogTurn<TResult>> OnAnswerAsync(
        TurnContext turn, TState state, TStep step, PromptAnswer answer, CancellationToken cancellationToken);

    /// <summary>What to tell a resident who says "帮助" while <paramref name="step"/> is waiting.</summary>
    protected virtual string HelpFor(TStep step) => "回答上面的问题即可继续；回复「取消」可以随时退出。";

    async Task<DialogStepOutcome> IDialog.BeginAsync(TurnContext turn, object? initialState, CancellationToken cancellationToken)
    {
        var state = initialState as TState ?? new TState();
        return Wrap(await BeginAsync(turn, state, cancellationToken), state);
    }

    async Task<DialogStepOutcome> IDialog.ContinueAsync(
        TurnContext turn, string step, string stateJson, PromptAnswer answer, CancellationToken cancellationToken)
    {
        var state = JsonSerializer.Deserialize<TState>(stateJson, DialogJson.Options) ?? new TState();
        if (!Enum.TryParse<TStep>(step, out var typedStep))
        {
            // State written by an older version with a step that no longer exists: start afresh.
            return new DialogStepOutcome(DialogTurnKind.Cancel, null, null, null, null, null);
        }

        return Wrap(await OnAnswerAsync(turn, state, typedStep, answer, cancellationToken), state);
    }

    string IDialog.HelpFor(string step) =>
        Enum.TryParse<TStep>(step, out var typedStep) ? HelpFor(typedStep) : "回复「取消」可以退出。";

    private static DialogStepOutcome Wrap(DialogTurn<TResult> turn, TState state) =>
        new(turn.Kind, turn.Step, turn.Prompt, turn.Result, turn.Message, JsonSerializer.Serialize(state, DialogJson.Options));
}

/// <summary>The untyped face of a dialog that the <see cref="DialogRunner"/> drives.</summary>
public interface IDialog
{
    string Id { get; }

    Task<DialogStepOutcome> BeginAsync(TurnContext turn, object? initialState, CancellationToken cancellationToken);

    Task<DialogStepOutcome> ContinueAsync(TurnContext turn, string step, string stateJson, PromptAnswer answer, CancellationToken cancellationToken);

    string HelpFor(string step);
}

/// <summary>A dialog step's outcome with its state serialised, as the runner needs it.</summary>
public sealed record DialogStepOutcome(
    DialogTurnKind Kind, string? Step, Prompt? Prompt, object? Result, string? Message, string? StateJson);

/// <summary>JSON settings shared by everything the engine persists.</summary>
public static class DialogJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
