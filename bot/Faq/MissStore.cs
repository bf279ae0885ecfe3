using CommunityBot.Dialogs.Understanding;
using CommunityBot.Storage;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommunityBot.Faq;

/// <summary>
/// Questions the assistant could not answer directly (collection <c>faq_misses</c>): unanswered ones, and ones whose
/// "您是想问" choice the resident made; for the office to add to the knowledge base.
/// </summary>
public sealed class MissStore : IMissLog
{
    public const string CollectionName = "faq_misses";

    private readonly ILiteCollection<BsonDocument> _misses;
    private readonly LiteDbWriter _writer;

    public MissStore(ILiteDatabase database, LiteDbWriter writer, ILogger<MissStore>? logger = null)
    {
        _writer = writer;
        _misses = LiteDbCollections.Open(database, CollectionName);
        LiteDbIndexes.Ensure(database, _misses, logger ?? NullLogger<MissStore>.Instance, ("At", "$.At"));
    }

    public Task RecordAsync(FaqMiss miss, CancellationToken cancellationToken)
    {
        var document = new BsonDocument
        {
            ["Text"] = miss.Text,
            ["Channel"] = miss.Channel,
            ["ConversationId"] = miss.ConversationId,
            ["At"] = miss.At.UtcDateTime,
            ["BestId"] = miss.BestId is null ? BsonValue.Null : new BsonValue(miss.BestId),
            ["BestScore"] = miss.BestScore,
            ["Chosen"] = miss.Chosen,
        };
        return _writer.WriteAsync(_ => _misses.Insert(document));
    }

    /// <summary>The most recent misses, newest first.</summary>
    public IReadOnlyList<FaqMiss> Recent(int limit = 100) =>
        _misses.Find(Query.All("At", Query.Descending), limit: limit)
            .Select(d => new FaqMiss(
                d["Text"].AsString,
                d["Channel"].AsString,
                d["ConversationId"].AsString,
                new DateTimeOffset(DateTime.SpecifyKind(d["At"].AsDateTime.ToUniversalTime(), DateTimeKind.Utc)),
                d["BestId"].IsNull ? null : d["BestId"].AsString,
                d["BestScore"].AsDouble,
                d["Chosen"].IsBoolean && d["Chosen"].AsBoolean))
            .ToList();

    public int Count() => _misses.Count();
}
