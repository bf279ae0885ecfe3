using LiteDB;

namespace CommunityBot.Storage;

/// <summary>Opens collections so that they exist before anyone reads them concurrently with writes.</summary>
public static class LiteDbCollections
{
    private const string Placeholder = "__create";

    /// <summary>
    /// Returns the collection, creating it first if needed. LiteDB 5.0.20 can break its engine state
    /// ("page type must be collection page") when a reader queries a collection that a concurrent
    /// transaction is creating; creating every collection when its store is constructed, at startup,
    /// keeps creation away from the concurrent hot path.
    /// </summary>
    public static ILiteCollection<T> Open<T>(ILiteDatabase database, string name)
    {
        if (!database.CollectionExists(name))
        {
            var raw = database.GetCollection(name);
            raw.Insert(new BsonDocument { ["_id"] = Placeholder });
            raw.Delete(Placeholder);
        }

        return database.GetCollection<T>(name);
    }

    public static ILiteCollection<BsonDocument> Open(ILiteDatabase database, string name) => Open<BsonDocument>(database, name);
}
