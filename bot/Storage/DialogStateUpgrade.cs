using CommunityBot.Conversation;
using CommunityBot.Dialogs.Engine;
using LiteDB;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace CommunityBot.Storage;

/// <summary>
/// Store schema step 2 → 3: the dialog states of the collection <c>dialog_state</c> (one document per
/// <c>{channel}/{conversation}/{user}</c>, the state as System.Text.Json) become the <see cref="ResidentDialogState.DialogProperty"/>
/// of each resident's SDK state item in <c>bot_state</c>, under its <see cref="Microsoft.Bot.Builder.PrivateConversationState"/>
/// key, so a resident mid-dialog during the upgrade continues where they were. Safe to run again: an item is overwritten
/// with the same state, and <c>dialog_state</c> is dropped only after every document was moved.
/// </summary>
public static partial class DialogStateUpgrade
{
    private const string OldCollection = "dialog_state";

    public static void Apply(ILiteDatabase database, ILogger logger)
    {
        if (!database.CollectionExists(OldCollection))
        {
            return;
        }

        var items = database.GetCollection("bot_state");
        int moved = 0, dropped = 0;
        foreach (var document in database.GetCollection(OldCollection).FindAll().ToList())
        {
            var id = document["_id"].AsString;
            var state = document["Json"].IsString
                ? System.Text.Json.JsonSerializer.Deserialize<DialogState>(document["Json"].AsString, DialogJson.Options)
                : null;
            if (state is null || KeyOf(id, state) is not { } key)
            {
                // A delete marker, or an id shortened by StorageKeys.Bound (its conversation cannot be read back): that
                // dialog is lost as an abandoned one is; the endpoints never let such an id in.
                dropped++;
                continue;
            }

            var item = new JObject { [ResidentDialogState.DialogProperty] = JObject.FromObject(state) };
            items.Upsert(new BsonDocument
            {
                ["_id"] = StorageKeys.BoundUserKey(key),
                ["Json"] = item.ToString(Formatting.None),
                ["ETag"] = Guid.NewGuid().ToString("N"),
                ["LastActive"] = document["LastActive"].IsDateTime ? document["LastActive"] : new BsonValue(state.LastActive.UtcDateTime),
            });
            moved++;
        }

        database.DropCollection(OldCollection);
        LogMoved(logger, moved, dropped);
    }

    /// <summary>The SDK key of an old id <c>{channel}/{conversation}/{user}</c>; the user is the state's owner where the id ends with it.</summary>
    private static string? KeyOf(string id, DialogState state)
    {
        if (id.Contains("#sha256:", StringComparison.Ordinal))
        {
            return null;
        }

        var first = id.IndexOf('/', StringComparison.Ordinal);
        var userStart = state.OwnerId.Length > 0 && id.EndsWith("/" + state.OwnerId, StringComparison.Ordinal)
            ? id.Length - state.OwnerId.Length
            : id.LastIndexOf('/') + 1;
        return first <= 0 || userStart - 1 <= first
            ? null
            : ResidentDialogState.KeyOf(id[..first], id[(first + 1)..(userStart - 1)], id[userStart..]);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Moved {Moved} dialog states into the residents' SDK state; {Dropped} could not be moved")]
    private static partial void LogMoved(ILogger logger, int moved, int dropped);
}
