using Microsoft.Bot.Builder;

namespace CommunityBot.Conversation;

/// <summary>
/// The <see cref="IStorage"/> writes one turn has made, held until the turn's own commit. Provider neutral on purpose:
/// LiteDB applies it inside the turn's one <see cref="Storage.LiteDbWriter"/> write (<see cref="LiteDbStorage.CommitInWrite"/>),
/// PostgreSQL in the turn's transaction (<see cref="Storage.Postgres.PostgresStorage.CommitTurnAsync"/>).
/// </summary>
public sealed class StorageTurn
{
    private readonly Dictionary<string, PendingWrite> _writes = new(StringComparer.Ordinal);

    /// <summary>The held writes, last one per key.</summary>
    public IReadOnlyCollection<PendingWrite> Writes => _writes.Values;

    internal bool TryGet(string key, out PendingWrite write) => _writes.TryGetValue(key, out write!);

    internal void Set(PendingWrite write) => _writes[write.Key] = write;

    /// <summary>
    /// Holds <paramref name="writes"/> (all of them, or none when one conflicts): each ETag is checked now against what this
    /// turn sees (its own held write, else <paramref name="storedETag"/>, the stored item's), as the SDK does, and again at
    /// commit against the store. Each written object gets its new ETag, so a second save in the turn carries it.
    /// </summary>
    internal void Hold(IReadOnlyList<(PendingWrite Write, IStoreItem? Item)> writes, Func<string, string?> storedETag)
    {
        foreach (var (write, _) in writes)
        {
            var seen = TryGet(write.Key, out var held) ? held.ETag : storedETag(write.Key);
            if (write.ExpectedETag is { } expected && seen is not null && expected != seen)
            {
                throw new StorageConflictException(write.Key);
            }
        }

        foreach (var (write, item) in writes)
        {
            // The commit must find the item as it was before this turn, so a held write keeps the first ETag expected.
            var first = TryGet(write.Key, out var held) ? held.ExpectedETag : write.ExpectedETag;
            Set(write with { ExpectedETag = first });
            item?.ETag = write.ETag;
        }
    }

    /// <summary>Drops every held write (the error handler's clean slate).</summary>
    public void Clear() => _writes.Clear();
}

/// <summary>
/// One held write: the item's JSON (null: a delete), the ETag it gets, and the ETag the stored item must still have at
/// commit (<see cref="ExpectedETag"/>; null: overwrite whatever is there).
/// </summary>
public sealed record PendingWrite(string Key, string? Json, string? ETag, string? ExpectedETag, DateTime LastActive)
{
    /// <summary>
    /// The writes of an <see cref="IStorage.WriteAsync"/> call, each with the object it came from (whose ETag is set once
    /// written): an <see cref="IStoreItem"/>'s ETag is expected unless it is empty or <c>"*"</c>; a null value deletes.
    /// </summary>
    internal static List<(PendingWrite Write, IStoreItem? Item)> Of(IDictionary<string, object> changes, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var writes = new List<(PendingWrite Write, IStoreItem? Item)>(changes.Count);
        foreach (var (key, value) in changes)
        {
            ArgumentNullException.ThrowIfNull(key, nameof(changes));
            var item = value as IStoreItem;
            var expected = item?.ETag is { Length: > 0 } tag && tag != "*" ? tag : null;
            writes.Add((new PendingWrite(key, value is null ? null : StoredItem.ToJson(value), StoredItem.NewETag(), expected, now), item));
        }

        return writes;
    }

    /// <summary>A delete of <paramref name="key"/> (held in a turn).</summary>
    internal static PendingWrite Delete(string key, DateTime now) => new(key, null, null, null, now);
}
