using CommunityBot.Storage;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommunityBot.Faq;

/// <summary>
/// The FAQ knowledge base in LiteDB (collection <c>faq</c>, the entry's id as <c>_id</c>). Every answered question reads
/// its entry (<see cref="Find"/>), so the entries are also held in memory (<see cref="CommittedSnapshot{T}"/>) and dropped
/// after each write; one process owns the store, so writes made here are the only ones.
/// </summary>
public sealed class FaqStore : IFaqEntries
{
    public const string CollectionName = "faq";

    private static readonly BsonMapper Mapper = CreateMapper();

    private readonly ILiteDatabase _database;
    private readonly ILiteCollection<BsonDocument> _faq;
    private readonly Lock _writeLock = new();
    private readonly CommittedSnapshot<Dictionary<string, FaqEntry>> _entries;

    public FaqStore(ILiteDatabase database, ILogger<FaqStore>? logger = null)
    {
        _database = database;
        _faq = LiteDbCollections.Open(database, CollectionName);
        LiteDbIndexes.Ensure(database, _faq, logger ?? NullLogger<FaqStore>.Instance, ("Enabled", "$.Enabled"));
        _entries = new(() => CommittedSnapshot.ById(_faq.FindAll().Select(ToEntry), e => e.Id));
    }

    public int Count() => _faq.Count();

    public IReadOnlyList<FaqEntry> All() => _faq.FindAll().Select(ToEntry).OrderBy(e => e.Id, StringComparer.Ordinal).ToList();

    public IReadOnlyList<FaqEntry> Enabled() => _faq.Find(Query.EQ(nameof(FaqEntry.Enabled), true)).Select(ToEntry).ToList();

    /// <summary>The entry, as a copy the caller may change.</summary>
    public FaqEntry? Find(string id) => _entries.Get().GetValueOrDefault(id)?.Copy();

    /// <summary>Inserts or replaces one entry by id.</summary>
    public void Upsert(FaqEntry entry)
    {
        _faq.Upsert(ToDocument(entry));
        _entries.Invalidate();
    }

    /// <summary>Inserts or replaces the entries by id, all or none.</summary>
    public void Upsert(IReadOnlyCollection<FaqEntry> entries)
    {
        lock (_writeLock)
        {
            InTransaction(() => _faq.Upsert(entries.Select(ToDocument)));
        }
    }

    /// <summary>Replaces the whole knowledge base with <paramref name="entries"/>, all or none.</summary>
    public void ReplaceAll(IReadOnlyCollection<FaqEntry> entries)
    {
        lock (_writeLock)
        {
            InTransaction(() =>
            {
                _faq.DeleteAll();
                _faq.InsertBulk(entries.Select(ToDocument));
            });
        }
    }

    // Synchronous on purpose: LiteDB ties a transaction to the calling thread.
    private void InTransaction(Action write)
    {
        _database.BeginTrans();
        try
        {
            write();
            _database.Commit();
        }
        catch
        {
            _database.Rollback();
            throw;
        }

        _entries.Invalidate();
    }

    private static FaqEntry ToEntry(BsonDocument doc) => Mapper.ToObject<FaqEntry>(doc);

    // A variant read from a file names its place only once FaqScopes.Resolve has checked it against the directory.
    private static BsonDocument ToDocument(FaqEntry entry) => entry.Variants.Any(v => !v.IsResolved)
        ? throw new InvalidOperationException($"FAQ entry {entry.Id} has a variant whose scope was not resolved against the directory.")
        : Mapper.ToDocument(entry);

    private static BsonMapper CreateMapper()
    {
        var mapper = new BsonMapper();
        mapper.Entity<FaqEntry>().Id(e => e.Id, autoId: false).Ignore(e => e.Phrasings);
        mapper.RegisterType(
            value => new BsonValue(value.UtcDateTime),
            bson => new DateTimeOffset(DateTime.SpecifyKind(bson.AsDateTime.ToUniversalTime(), DateTimeKind.Utc)));
        return mapper;
    }
}
