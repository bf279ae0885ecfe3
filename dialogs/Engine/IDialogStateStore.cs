namespace CommunityBot.Dialogs.Engine;

/// <summary>The port through which dialog state is persisted, keyed <c>{channel}/{conversation}/{user}</c>.</summary>
public interface IDialogStateStore
{
    Task<DialogState?> LoadAsync(string key, CancellationToken cancellationToken);

    Task SaveAsync(string key, DialogState state, CancellationToken cancellationToken);

    Task DeleteAsync(string key, CancellationToken cancellationToken);
}
