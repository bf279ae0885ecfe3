using CommunityBot.Dialogs.Engine;
using Microsoft.Bot.Builder;
using Newtonsoft.Json.Linq;

namespace CommunityBot.Conversation;

/// <summary>
/// The dialogs' <see cref="IDialogStateStore"/> on the SDK's state: the turn's own resident through
/// <see cref="ResidentDialogState"/> (loaded on first use, saved with <c>SaveChangesAsync</c> by <see cref="SaveTurnAsync"/>
/// into the turn's <see cref="StorageTurn"/>, so it is committed in the turn's one write or not at all); another resident's
/// state (a dialog a worker's action starts for them) read and written at once through the <see cref="ITurnStorage"/> under
/// the same key, with the ETag it was read with, retried on a conflict so neither write is lost.
/// </summary>
public sealed class BotStateDialogStore(ITurnStorage storage, ResidentDialogState state) : IDialogStateStore
{
    private const int ConflictRetries = 3;
    private const int BystanderLimit = 50;

    private readonly AsyncLocal<Scope?> _turn = new();

    /// <summary>A store with its own <see cref="ResidentDialogState"/> over <paramref name="storage"/> (tests and tools).</summary>
    public BotStateDialogStore(ITurnStorage storage)
        : this(storage, new ResidentDialogState(storage))
    {
    }

    /// <summary>Makes <paramref name="stateKey"/> (<c>{channel}/{conversation}/{user}</c>) this async flow's own resident.</summary>
    public void BeginTurn(ITurnContext turnContext, string stateKey) => _turn.Value = new Scope(stateKey, turnContext);

    /// <summary>
    /// Saves the turn's resident state into the turn's held writes: nothing when it did not change, a delete when the
    /// resident's stored item is left empty. A stale ETag throws <see cref="StorageConflictException"/>.
    /// </summary>
    public Task SaveTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken) =>
        state.IsStoredAndEmpty(turnContext)
            ? state.DeleteAsync(turnContext, cancellationToken)
            : state.SaveChangesAsync(turnContext, false, cancellationToken);

    /// <summary>Drops the turn's resident state, stored and cached (the error handler's clean slate).</summary>
    public Task ClearTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken) => state.DeleteAsync(turnContext, cancellationToken);

    public Task<DialogState?> LoadAsync(string key, CancellationToken cancellationToken) =>
        InTurn(key) is { } turn ? state.ReadDialogAsync(turn.Context, cancellationToken) : LoadOtherAsync(key, cancellationToken);

    public Task SaveAsync(string key, DialogState dialog, CancellationToken cancellationToken) =>
        InTurn(key) is { } turn ? state.Dialog.SetAsync(turn.Context, dialog, cancellationToken) : WriteOtherAsync(key, dialog, cancellationToken);

    public Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        InTurn(key) is { } turn ? state.Dialog.DeleteAsync(turn.Context, cancellationToken) : WriteOtherAsync(key, null, cancellationToken);

    public async Task<IReadOnlyList<DialogState>> InConversationAsync(string conversationPrefix, CancellationToken cancellationToken)
    {
        var (channel, conversation) = SplitConversation(conversationPrefix);
        var items = await storage.FindUsersOfAsync(ResidentDialogState.ConversationHeadOf(channel, conversation), BystanderLimit, cancellationToken)
            .ConfigureAwait(false);
        return items
            .Select(i => i.Item.TryGetValue(ResidentDialogState.DialogProperty, out var value) ? ResidentDialogState.ToDialog(value) : null)
            .OfType<DialogState>()
            .ToList();
    }

    /// <summary>The SDK state key of a dialog key <c>{channel}/{conversation}/{user}</c> (channel and user ids have no '/').</summary>
    public static string StorageKeyOf(string stateKey)
    {
        var first = stateKey.IndexOf('/', StringComparison.Ordinal);
        var last = stateKey.LastIndexOf('/');
        if (first <= 0 || last <= first)
        {
            throw new ArgumentException("A dialog state key is {channel}/{conversation}/{user}.", nameof(stateKey));
        }

        return ResidentDialogState.KeyOf(stateKey[..first], stateKey[(first + 1)..last], stateKey[(last + 1)..]);
    }

    private static (string Channel, string Conversation) SplitConversation(string prefix)
    {
        var first = prefix.IndexOf('/', StringComparison.Ordinal);
        if (first <= 0 || !prefix.EndsWith('/'))
        {
            throw new ArgumentException("A conversation prefix is {channel}/{conversation}/.", nameof(prefix));
        }

        return (prefix[..first], prefix[(first + 1)..^1]);
    }

    private async Task<DialogState?> LoadOtherAsync(string key, CancellationToken cancellationToken)
    {
        var storageKey = StorageKeyOf(key);
        var items = await storage.ReadAsync([storageKey], cancellationToken).ConfigureAwait(false);
        return items.TryGetValue(storageKey, out var item) && item is StoredItem stored
            && stored.TryGetValue(ResidentDialogState.DialogProperty, out var value)
            ? ResidentDialogState.ToDialog(value)
            : null;
    }

    private async Task WriteOtherAsync(string key, DialogState? dialog, CancellationToken cancellationToken)
    {
        var storageKey = StorageKeyOf(key);
        for (var attempt = 1; ; attempt++)
        {
            var items = await storage.ReadAsync([storageKey], cancellationToken).ConfigureAwait(false);
            var item = items.TryGetValue(storageKey, out var found) && found is StoredItem stored ? stored : new StoredItem();
            if (dialog is null)
            {
                if (!item.Remove(ResidentDialogState.DialogProperty))
                {
                    return;
                }
            }
            else
            {
                item[ResidentDialogState.DialogProperty] = JObject.FromObject(dialog);
            }

            try
            {
                // At once, not in the current (another resident's) turn: the item's ETag guards it against their own turn.
                await storage.WriteNowAsync(new Dictionary<string, object> { [storageKey] = item }, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (StorageConflictException) when (attempt < ConflictRetries)
            {
                // Their own turn wrote in between: read it again and apply this change on top.
            }
        }
    }

    private Scope? InTurn(string key) => _turn.Value is { } turn && string.Equals(turn.Key, key, StringComparison.Ordinal) ? turn : null;

    private sealed record Scope(string Key, ITurnContext Context);
}
