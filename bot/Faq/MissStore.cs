using CommunityBot.Dialogs.Understanding;
using CommunityBot.Storage;
using CommunityBot.Understanding;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommunityBot.Faq;

/// <summary>
/// Questions the assistant could not answer directly (collection <c>faq_misses</c>): unanswered ones, and ones whose
/// "您是想问" choice the resident made; for the office to add to the knowledge base. At most
/// <see cref="FaqMatchingOptions.MaxMisses"/> are kept: past it the oldest tenth goes, so a flood of questions cannot grow
/// the file without end.
/// </summary>
public sealed class MissStore : IMissLog
{
    public const string CollectionName = "faq_misses";

    private readonly ILiteCollection<BsonDocument> _misses;
    private readonly LiteDbWriter _writer;
    private readonly int _max;
    private int _count; // changed only inside writes, which the writer runs one at a time

    public MissStore(ILiteDatabase database, LiteDbWriter writer, ILogger<MissStore>? logger = null, int maxMisses = FaqMatchingOptions.DefaultMaxMisses)
    {
        _writer = writer;
        _max = maxMisses;
        _misses = LiteDbCollections.Open(database, CollectionName);
        LiteDbIndexes.Ensure(database, _misses, logger ?? NullLogger<MissStore>.Instance, ("At", "$.At"));
        _count = _misses.Count();
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
        return _writer.WriteAsync(_ =>
        {
            _misses.Insert(document);
            if (++_count > _max)
            {
                // Down to nine tenths, so the prune runs once per tenth of the limit rather than on every miss.
                var oldest = _misses.Find(Query.All("At", Query.Ascending), limit: _count - _max * 9 / 10).Select(d => d["_id"]).ToList();
                _count -= oldest.Count(id => _misses.Delete(id));
            }
        });
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
