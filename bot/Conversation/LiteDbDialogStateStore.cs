using System.Text.Json;
using CommunityBot.Dialogs.Engine;
using CommunityBot.Storage;
using LiteDB;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace CommunityBot.Conversation;

/// <summary>Dialog state in LiteDB, one document per resident key, the state itself as JSON.</summary>
public sealed class LiteDbDialogStateStore(ILiteDatabase database, LiteDbWriter writer) : IDialogStateStore
{
    private readonly ILiteCollection<StateDocument> _states = LiteDbCollections.Open<StateDocument>(database, "dialog_state");

    public Task<DialogState?> LoadAsync(string key, CancellationToken cancellationToken)
    {
        var document = _states.FindById(key);
        return Task.FromResult(document is null ? null : JsonSerializer.Deserialize<DialogState>(document.Json, DialogJson.Options));
    }

    public Task SaveAsync(string key, DialogState state, CancellationToken cancellationToken)
    {
        var document = new StateDocument { Id = key, Json = JsonSerializer.Serialize(state, DialogJson.Options), LastActive = state.LastActive.UtcDateTime };
        return writer.WriteAsync(_ => _states.Upsert(document));
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken) => writer.WriteAsync(_ => _states.Delete(key));

    /// <summary>Removes states idle since before <paramref name="cutoff"/> (they would expire on the next message anyway).</summary>
    public int DeleteIdleSince(DateTimeOffset cutoff) => _states.DeleteMany(s => s.LastActive < cutoff.UtcDateTime);

    private sealed class StateDocument
    {
        public string Id { get; set; } = "";
        public string Json { get; set; } = "";
        public DateTime LastActive { get; set; }
    }
}
