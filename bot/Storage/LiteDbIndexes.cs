using System.Diagnostics;
using LiteDB;

namespace CommunityBot.Storage;

/// <summary>
/// Creates a store's indexes at start-up, saying so when that is slow. An index that does not exist yet on a collection
/// that already holds documents (a store upgraded from an older version) is built over every document, which took
/// 375 s for 1,000,000 tickets (eval/README.md): the host would otherwise sit silent all that time. Indexes that exist
/// already (the normal start) cost one read of LiteDB's index list and log nothing.
/// </summary>
public static partial class LiteDbIndexes
{
    /// <summary>Ensures each of <paramref name="indexes"/> (name, LiteDB expression) on <paramref name="collection"/>.</summary>
    /// <remarks>
    /// Names must stay those of indexes already on disk: LiteDB names an index made from a lambda <c>x => x.Status</c>
    /// "Status" (its expression <c>$.Status</c> without the symbols), so <c>("Status", "$.Status")</c> is that same index.
    /// </remarks>
    public static void Ensure<T>(ILiteDatabase database, ILiteCollection<T> collection, ILogger logger, params IEnumerable<(string Name, string Expression)> indexes)
    {
        var existing = database.GetCollection("$indexes")
            .Find(Query.EQ("collection", collection.Name))
            .Select(index => index["name"].AsString)
            .ToHashSet(StringComparer.Ordinal);
        int? count = null;
        foreach (var (name, expression) in indexes)
        {
            if (existing.Contains(name))
            {
                continue;
            }

            count ??= collection.Count();
            if (count == 0)
            {
                collection.EnsureIndex(name, expression);
                continue;
            }

            LogBuilding(logger, collection.Name, name, count.Value);
            var started = Stopwatch.GetTimestamp();
            collection.EnsureIndex(name, expression);
            LogBuilt(logger, collection.Name, name, count.Value, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Building {Collection} index {Index} over {Count} documents; this runs once after an upgrade")]
    private static partial void LogBuilding(ILogger logger, string collection, string index, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Built {Collection} index {Index} over {Count} documents in {Seconds:0.0} s")]
    private static partial void LogBuilt(ILogger logger, string collection, string index, int count, double seconds);
}
