namespace CommunityBot.Conversation;

/// <summary>
/// The <see cref="Microsoft.Bot.Builder.IStorage"/> writes one turn has made, held until the turn's own commit. Provider
/// neutral on purpose: LiteDB applies it inside the turn's one <see cref="Storage.LiteDbWriter"/> write
/// (<see cref="LiteDbStorage.CommitInWrite"/>); a PostgreSQL store (issue 14) applies the same list in its transaction.
/// </summary>
public sealed class StorageTurn
{
    private readonly Dictionary<string, PendingWrite> _writes = new(StringComparer.Ordinal);

    /// <summary>The held writes, last one per key.</summary>
    public IReadOnlyCollection<PendingWrite> Writes => _writes.Values;

    internal bool TryGet(string key, out PendingWrite write) => _writes.TryGetValue(key, out write!);

    internal void Set(PendingWrite write) => _writes[write.Key] = write;

    /// <summary>Drops every held write (the error handler's clean slate).</summary>
    public void Clear() => _writes.Clear();
}

/// <summary>
/// One held write: the item's JSON (null: a delete), the ETag it gets, and the ETag the stored item must still have at
/// commit (<see cref="ExpectedETag"/>; null: overwrite whatever is there).
/// </summary>
public sealed record PendingWrite(string Key, string? Json, string? ETag, string? ExpectedETag, DateTime LastActive);
