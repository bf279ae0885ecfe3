using CommunityBot.Dialogs.Conversation;

namespace CommunityBot.Dialogs.Engine;

/// <summary>The dialogs a bot can run, each with the handler that receives its typed result.</summary>
public sealed class DialogSet
{
    private readonly Dictionary<string, (IDialog Dialog, Func<TurnContext, object?, CancellationToken, Task> OnCompleted)> _dialogs =
        new(StringComparer.Ordinal);

    public DialogSet Add<TStep, TState, TResult>(
        Dialog<TStep, TState, TResult> dialog, Func<TurnContext, TResult, CancellationToken, Task> onCompleted)
        where TStep : struct, Enum
        where TState : class, new()
    {
        _dialogs.Add(dialog.Id, (dialog, (turn, result, ct) => onCompleted(turn, (TResult)result!, ct)));
        return this;
    }

    internal IDialog? Find(string id) => _dialogs.TryGetValue(id, out var entry) ? entry.Dialog : null;

    internal Task CompleteAsync(string id, TurnContext turn, object? result, CancellationToken cancellationToken) =>
        _dialogs[id].OnCompleted(turn, result, cancellationToken);
}
