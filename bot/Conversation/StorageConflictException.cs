namespace CommunityBot.Conversation;

/// <summary>
/// A write to a state storage (<see cref="LiteDbStorage"/>, <see cref="Storage.Postgres.PostgresStorage"/>) carried an ETag
/// that is no longer the stored item's: someone else wrote it since it was read. An <see cref="ArgumentException"/>, as the
/// SDK's <c>MemoryStorage</c> throws for the same case.
/// </summary>
public sealed class StorageConflictException(string key) : ArgumentException($"ETag conflict on a stored item ({key.Length} characters of key).")
{
    public string Key { get; } = key;
}
