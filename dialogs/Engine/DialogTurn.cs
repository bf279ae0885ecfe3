namespace CommunityBot.Dialogs.Engine;

/// <summary>What a dialog step decided: ask the next question, finish with a result, or give up.</summary>
public sealed record DialogTurn<TResult>
{
    private DialogTurn(DialogTurnKind kind) => Kind = kind;

    public DialogTurnKind Kind { get; }
    /// <summary>The named step that will receive the answer to <see cref="Prompt"/>.</summary>
    public string? Step { get; private init; }
    public Prompt? Prompt { get; private init; }
    public TResult? Result { get; private init; }
    /// <summary>For a retry or cancel: what to tell the resident.</summary>
    public string? Message { get; private init; }

    /// <summary>Ask <paramref name="prompt"/>; the answer goes to <paramref name="step"/>.</summary>
    public static DialogTurn<TResult> Ask<TStep>(TStep step, Prompt prompt) where TStep : struct, Enum =>
        new(DialogTurnKind.Ask) { Step = step.ToString(), Prompt = prompt };

    /// <summary>The answer was understood but not acceptable: say why and ask the same prompt again.</summary>
    public static DialogTurn<TResult> Retry(string message) => new(DialogTurnKind.Retry) { Message = message };

    public static DialogTurn<TResult> Complete(TResult result) => new(DialogTurnKind.Complete) { Result = result };

    public static DialogTurn<TResult> Cancel(string? message = null) => new(DialogTurnKind.Cancel) { Message = message };
}

/// <summary>The outcomes a dialog step can have.</summary>
public enum DialogTurnKind
{
    Ask,
    Retry,
    Complete,
    Cancel,
}
