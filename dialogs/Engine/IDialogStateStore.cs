namespace CommunityBot.Dialogs.Engine;

/// <summary>The port through which dialog state is persisted, keyed <c>{channel}/{conversation}/{user}</c>.</summary>
public interface IDialogStateStore
{
    Task<DialogState?> LoadAsync(string key, CancellationToken cancellationToken);

    Task SaveAsync(string key, DialogState state, CancellationToken cancellationToken);

    Task DeleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// The states of everyone in one conversation: keys starting <paramref name="conversationPrefix"/>
    /// (<c>{channel}/{conversation}/</c>). Used to tell a resident that a button they pressed is another's question.
    /// </summary>
    Task<IReadOnlyList<DialogState>> InConversationAsync(string conversationPrefix, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DialogState>>([]);
}
