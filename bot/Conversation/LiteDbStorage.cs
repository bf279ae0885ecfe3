using CommunityBot.Storage;
using LiteDB;
using Microsoft.Bot.Builder;
using Newtonsoft.Json.Linq;

namespace CommunityBot.Conversation;

/// <summary>
/// Bot Builder's <see cref="IStorage"/> on the LiteDB store, with optimistic concurrency on ETags: a write of an
/// <see cref="IStoreItem"/> whose ETag is not the stored item's throws <see cref="StorageConflictException"/>; an ETag of
/// <c>"*"</c>, none, or a new key overwrites; every write gives the item a new ETag (set on the written object too, so a
/// second save in the same turn carries it). Inside a turn (<see cref="BeginTurn"/>) writes and deletes are held in the
/// turn's <see cref="StorageTurn"/> (reads in the turn see them) and committed by <see cref="CommitInWrite"/> in the
/// turn's one LiteDB write, where each ETag is checked again against the stored item, so a crash mid-turn leaves
/// everything as it was before the message.
/// </summary>
/// <remarks>
/// The SDK's rules, read from botbuilder-dotnet 4.23 <c>MemoryStorage.WriteAsync</c> (conflict when the stored item has
/// an ETag, the new one is not <c>"*"</c> and differs) and the Blobs/Cosmos storages (a null or empty ETag overwrites;
/// MemoryStorage alone treats a missing ETag over an existing item as a conflict). Items are stored as JSON without type
/// names (the SDK storages use <c>TypeNameHandling.All</c>, which lets stored data pick the types it is read back as):
/// a read returns a <see cref="StoredItem"/> dictionary, which <see cref="BotState"/> takes as its cached state as it is
/// (so its ETag rides along to the next save) and whose object values are <see cref="JObject"/>s that
/// <c>IStatePropertyAccessor&lt;T&gt;.GetAsync</c> converts to <c>T</c>.
/// </remarks>
public sealed class LiteDbStorage : ITurnStorage
{
    private readonly ILiteCollection<StateDocument> _items;
    private readonly LiteDbWriter _writer;
    private readonly TimeProvider _time;
    private readonly AsyncLocal<StorageTurn?> _turn = new();

    public LiteDbStorage(ILiteDatabase database, LiteDbWriter writer, TimeProvider time)
    {
        _items = LiteDbCollections.Open<StateDocument>(database, "bot_state");
        _writer = writer;
        _time = time;
    }

    /// <summary>
    /// Holds this async flow's writes (the turn's) from now on; the caller commits them with <see cref="CommitInWrite"/>
    /// in its own write, or drops them by not doing so.
    /// </summary>
    public StorageTurn BeginTurn()
    {
        var turn = new StorageTurn();
        _turn.Value = turn;
        return turn;
    }

    public Task<IDictionary<string, object>> ReadAsync(string[] keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var found = new Dictionary<string, object>(keys.Length, StringComparer.Ordinal);
        var turn = _turn.Value;
        foreach (var key in keys)
        {
            var (json, eTag) = turn is not null && turn.TryGet(key, out var pending)
                ? (pending.Json, pending.ETag)
                : _items.FindById(StorageKeys.BoundUserKey(key)) is { } document ? (document.Json, document.ETag) : (null, null);
            if (json is not null)
            {
                found[key] = StoredItem.Parse(json, eTag);
            }
        }

        return Task.FromResult<IDictionary<string, object>>(found);
    }

    public Task WriteAsync(IDictionary<string, object> changes, CancellationToken cancellationToken) => WriteAsync(changes, _turn.Value);

    /// <summary>
    /// <see cref="WriteAsync(IDictionary{string, object}, CancellationToken)"/> at once, even inside a turn: a write to
    /// another resident's state that must not wait for (or fail with) the current turn's commit. ETags are checked the same.
    /// </summary>
    public Task WriteNowAsync(IDictionary<string, object> changes, CancellationToken cancellationToken = default) => WriteAsync(changes, null);

    private Task WriteAsync(IDictionary<string, object> changes, StorageTurn? heldIn)
    {
        var writes = PendingWrite.Of(changes, _time.GetUtcNow().UtcDateTime);
        if (heldIn is { } turn)
        {
            turn.Hold(writes, key => _items.FindById(StorageKeys.BoundUserKey(key))?.ETag);
            return Task.CompletedTask;
        }

        return WriteNowAsync(writes);
    }

    public Task DeleteAsync(string[] keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (_turn.Value is { } turn)
        {
            var now = _time.GetUtcNow().UtcDateTime;
            foreach (var key in keys)
            {
                turn.Set(PendingWrite.Delete(key, now));
            }

            return Task.CompletedTask;
        }

        return _writer.WriteAsync(_ =>
        {
            foreach (var key in keys)
            {
                _items.Delete(StorageKeys.BoundUserKey(key));
            }
        });
    }

    /// <summary>
    /// Applies a turn's held writes; call it only inside a <see cref="LiteDbWriter"/> write. Throws
    /// <see cref="StorageConflictException"/> (failing that whole write) when an item changed since the turn read it.
    /// </summary>
    public void CommitInWrite(StorageTurn turn)
    {
        foreach (var write in turn.Writes)
        {
            Apply(write);
        }
    }

    /// <summary>The raw items whose stored ids start with <paramref name="prefix"/> (at most <paramref name="limit"/>).</summary>
    public IReadOnlyList<(string Key, StoredItem Item)> FindByPrefix(string prefix, int limit) =>
        // LiteDB's StartsWith is a LIKE (a prefix's '_' and '%' are wildcards) under the store's case-insensitive collation:
        // it narrows the index scan, and the ordinal check keeps only the ids that really start with the prefix.
        _items.Find(Query.StartsWith("_id", prefix))
            .Where(d => d.Id.StartsWith(prefix, StringComparison.Ordinal))
            .Take(limit)
            .Select(d => (d.Id, StoredItem.Parse(d.Json, d.ETag)))
            .ToList();

    /// <summary>
    /// The items of every user in one conversation: keys <c>{head}/users/{user}</c> for the given head
    /// (<c>{channel}/conversations/{conversation}</c>), found by their stored prefix however long the conversation id is.
    /// </summary>
    public IReadOnlyList<(string Key, StoredItem Item)> FindUsersOf(string head, int limit) =>
        FindByPrefix(StorageKeys.BoundUserKeyPrefix(head), limit);

    /// <summary>Removes items written last before <paramref name="cutoff"/>.</summary>
    public Task<IReadOnlyList<(string Key, StoredItem Item)>> FindUsersOfAsync(string head, int limit, CancellationToken cancellationToken) =>
        Task.FromResult(FindUsersOf(head, limit));

    public int DeleteIdleSince(DateTimeOffset cutoff) => _items.DeleteMany(s => s.LastActive < cutoff.UtcDateTime);

    private async Task WriteNowAsync(List<(PendingWrite Write, IStoreItem? Item)> writes)
    {
        await _writer.WriteAsync(_ =>
        {
            foreach (var (write, _) in writes)
            {
                Apply(write);
            }
        }).ConfigureAwait(false);
        foreach (var (write, item) in writes)
        {
            item?.ETag = write.ETag;
        }
    }

    private void Apply(PendingWrite write)
    {
        var id = StorageKeys.BoundUserKey(write.Key);
        if (write.Json is null)
        {
            _items.Delete(id);
            return;
        }

        if (write.ExpectedETag is { } expected && _items.FindById(id) is { } stored && stored.ETag != expected)
        {
            throw new StorageConflictException(write.Key);
        }

        _items.Upsert(new StateDocument { Id = id, Json = write.Json, ETag = write.ETag!, LastActive = write.LastActive });
    }

    internal sealed class StateDocument
    {
        public string Id { get; set; } = "";
        public string Json { get; set; } = "";
        public string ETag { get; set; } = "";
        public DateTime LastActive { get; set; }
    }
}
