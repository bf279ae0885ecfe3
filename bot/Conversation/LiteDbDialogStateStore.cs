using System.Text.Json;
using CommunityBot.Dialogs.Engine;
using CommunityBot.Storage;
using LiteDB;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace CommunityBot.Conversation;

/// <summary>
/// Dialog state in LiteDB, one document per resident key (<see cref="StorageKeys.Bound"/>), the state itself as JSON.
/// During a turn (<see cref="BeginTurn"/>) the state of the turn's own resident is kept aside and written by
/// <see cref="CommitInWrite"/> in the turn's own LiteDB write, with the message id and the replies: a crash mid-turn
/// leaves the dialog where it was before the message, so the channel's redelivery runs the same step again. Other
/// residents' states (a dialog a worker's action starts for a resident) are written at once, as outside a turn.
/// </summary>
public sealed class LiteDbDialogStateStore(ILiteDatabase database, LiteDbWriter writer) : IDialogStateStore
{
    private readonly ILiteCollection<StateDocument> _states = LiteDbCollections.Open<StateDocument>(database, "dialog_state");
    private readonly AsyncLocal<TurnStateWrites?> _turn = new();

    /// <summary>
    /// Keeps writes to <paramref name="key"/> aside for the rest of this async flow (the turn); the caller commits them
    /// with <see cref="CommitInWrite"/> or drops them by not doing so.
    /// </summary>
    public TurnStateWrites BeginTurn(string key)
    {
        var writes = new TurnStateWrites(key);
        _turn.Value = writes;
        return writes;
    }

    /// <summary>Applies a turn's pending write; call it only inside a <see cref="LiteDbWriter"/> write.</summary>
    public void CommitInWrite(TurnStateWrites writes)
    {
        switch (writes.Pending)
        {
            case null:
                return;
            case { Json: null }:
                _states.Delete(StorageKeys.Bound(writes.Key));
                break;
            case { } document:
                _states.Upsert(document);
                break;
        }
    }

    public Task<DialogState?> LoadAsync(string key, CancellationToken cancellationToken)
    {
        var document = InTurn(key) is { Pending: { } pending } ? pending : _states.FindById(StorageKeys.Bound(key));
        return Task.FromResult(document?.Json is { } json ? JsonSerializer.Deserialize<DialogState>(json, DialogJson.Options) : null);
    }

    public Task SaveAsync(string key, DialogState state, CancellationToken cancellationToken)
    {
        var document = new StateDocument { Id = StorageKeys.Bound(key), Json = JsonSerializer.Serialize(state, DialogJson.Options), LastActive = state.LastActive.UtcDateTime };
        if (InTurn(key) is { } turn)
        {
            turn.Pending = document;
            return Task.CompletedTask;
        }

        return writer.WriteAsync(_ => _states.Upsert(document));
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        if (InTurn(key) is { } turn)
        {
            turn.Pending = new StateDocument { Id = StorageKeys.Bound(key), Json = null };
            return Task.CompletedTask;
        }

        return writer.WriteAsync(_ => _states.Delete(StorageKeys.Bound(key)));
    }

    public Task<IReadOnlyList<DialogState>> InConversationAsync(string conversationPrefix, CancellationToken cancellationToken)
    {
        // Keys are "{channel}/{conversation}/{user}" (kept whole up to StorageKeys.MaxBytes): a range over the id index.
        IReadOnlyList<DialogState> found = _states.Find(Query.StartsWith("_id", conversationPrefix), limit: 50)
            .Where(d => d.Json is not null)
            .Select(d => JsonSerializer.Deserialize<DialogState>(d.Json!, DialogJson.Options)!)
            .ToList();
        return Task.FromResult(found);
    }

    /// <summary>Removes states idle since before <paramref name="cutoff"/> (they would expire on the next message anyway).</summary>
    public int DeleteIdleSince(DateTimeOffset cutoff) => _states.DeleteMany(s => s.LastActive < cutoff.UtcDateTime);

    private TurnStateWrites? InTurn(string key) => _turn.Value is { } turn && string.Equals(turn.Key, key, StringComparison.Ordinal) ? turn : null;

    /// <summary>The write a turn has made to its own resident's state, not yet committed (null: none).</summary>
    public sealed class TurnStateWrites(string key)
    {
        public string Key { get; } = key;

        /// <summary>The state to store, or a document with no JSON for a delete.</summary>
        internal StateDocument? Pending { get; set; }
    }

    internal sealed class StateDocument
    {
        public string Id { get; set; } = "";
        public string? Json { get; set; }
        public DateTime LastActive { get; set; }
    }
}
