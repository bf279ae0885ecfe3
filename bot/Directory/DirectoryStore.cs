using CommunityBot.Storage;
using LiteDB;

namespace CommunityBot.Directory;

/// <summary>
/// The grid directory in LiteDB, one collection per kind (<c>dir_grids</c>, <c>dir_workers</c> …). The directory
/// changes only by admin import, which replaces all of it in one transaction, so readers never see half of one.
/// </summary>
public sealed class DirectoryStore
{
    private static readonly BsonMapper Mapper = CreateMapper();

    private readonly ILiteDatabase _database;
    private readonly ILiteCollection<BsonDocument> _office;
    private readonly ILiteCollection<BsonDocument> _communities;
    private readonly ILiteCollection<BsonDocument> _grids;
    private readonly ILiteCollection<BsonDocument> _compounds;
    private readonly ILiteCollection<BsonDocument> _workers;
    private readonly ILiteCollection<BsonDocument> _roster;
    private readonly ILiteCollection<BsonDocument> _leave;
    private readonly ILiteCollection<BsonDocument> _departments;
    private readonly Lock _writeLock = new();

    public DirectoryStore(ILiteDatabase database)
    {
        _database = database;
        _office = LiteDbCollections.Open(database, "dir_office");
        _communities = LiteDbCollections.Open(database, "dir_communities");
        _grids = LiteDbCollections.Open(database, "dir_grids");
        _compounds = LiteDbCollections.Open(database, "dir_compounds");
        _workers = LiteDbCollections.Open(database, "dir_workers");
        _roster = LiteDbCollections.Open(database, "dir_roster");
        _leave = LiteDbCollections.Open(database, "dir_leave");
        _departments = LiteDbCollections.Open(database, "dir_departments");
    }

    public bool IsEmpty() => _communities.Count() == 0 && _grids.Count() == 0 && _workers.Count() == 0;

    /// <summary>Reads the whole directory, rows in the order they were imported.</summary>
    public DirectoryData Load() => new()
    {
        StreetOffice = _office.FindById(1) is { } office ? Mapper.ToObject<StreetOffice>(office) : new StreetOffice { Name = "" },
        Communities = Read<Community>(_communities),
        Grids = Read<Grid>(_grids),
        Compounds = Read<Compound>(_compounds),
        Workers = Read<Worker>(_workers),
        Roster = Read<DutyShift>(_roster),
        Leave = Read<LeavePeriod>(_leave),
        Departments = Read<Department>(_departments),
    };

    /// <summary>Replaces the whole directory with <paramref name="data"/>, all or none (validate it first).</summary>
    public void ReplaceAll(DirectoryData data)
    {
        lock (_writeLock)
        {
            // Synchronous on purpose: LiteDB ties a transaction to the calling thread.
            _database.BeginTrans();
            try
            {
                var office = Mapper.ToDocument(data.StreetOffice);
                office["_id"] = 1;
                _office.DeleteAll();
                _office.Insert(office);
                Write(_communities, data.Communities);
                Write(_grids, data.Grids);
                Write(_compounds, data.Compounds);
                Write(_workers, data.Workers);
                Write(_roster, data.Roster);
                Write(_leave, data.Leave);
                Write(_departments, data.Departments);
                _database.Commit();
            }
            catch
            {
                _database.Rollback();
                throw;
            }
        }
    }

    // Rows keep their position in "order" so that Load returns them in import order (order matters: the first
    // community staff member is asked first). Rows with an Id use it as _id (the mapper's convention); the others
    // get a generated one.
    private const string OrderField = "order";

    private static void Write<T>(ILiteCollection<BsonDocument> collection, List<T> rows)
    {
        collection.DeleteAll();
        collection.InsertBulk(rows.Select((row, i) =>
        {
            var doc = Mapper.ToDocument(row);
            doc[OrderField] = i;
            return doc;
        }));
    }

    private static List<T> Read<T>(ILiteCollection<BsonDocument> collection) =>
        collection.FindAll().OrderBy(doc => doc[OrderField].AsInt32).Select(doc => Mapper.ToObject<T>(doc)).ToList();

    private static BsonMapper CreateMapper()
    {
        var mapper = new BsonMapper { EnumAsInteger = false };
        // ISO 8601 text keeps the offset the admin wrote (+08:00), which a BSON date would turn into UTC.
        mapper.RegisterType(
            value => new BsonValue(value.ToString("O", System.Globalization.CultureInfo.InvariantCulture)),
            bson => DateTimeOffset.ParseExact(bson.AsString, "O", System.Globalization.CultureInfo.InvariantCulture));
        mapper.RegisterType(
            value => new BsonValue(value.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)),
            bson => TimeOnly.ParseExact(bson.AsString, "HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
        return mapper;
    }
}
