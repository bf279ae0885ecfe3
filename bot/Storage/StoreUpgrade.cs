using LiteDB;

namespace CommunityBot.Storage;

/// <summary>One upgrade step of <see cref="StoreSchema"/>: what it does (for the log) and the change itself, which may log what it did.</summary>
public sealed record StoreUpgrade(string Description, Action<ILiteDatabase, ILogger> Apply)
{
    public StoreUpgrade(string description, Action<ILiteDatabase> apply)
        : this(description, (database, _) => apply(database))
    {
    }
}
