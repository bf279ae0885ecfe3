using System.Text.Json;
using CommunityBot.Directory;
using Npgsql;
using NpgsqlTypes;

namespace CommunityBot.Storage.Postgres;

/// <summary>
/// <see cref="DirectoryStore"/> on PostgreSQL (table <c>directory_rows</c>, migration 8): every row of the directory as a
/// json document under its kind and import position. The directory changes only by admin import, which replaces all of it
/// in the caller's transaction with <c>NOTIFY knowledge</c> (<c>directory</c>), so readers never see half of one and every
/// instance's copy (<see cref="CurrentAsync"/>, and through <see cref="KnowledgeChanges"/> the host's directory lookup) is
/// dropped when it commits.
/// </summary>
public sealed class PostgresDirectoryStore
{
    private const string Office = "office";

    private static readonly JsonSerializerOptions Json = PostgresDocuments.Options;

    private readonly NpgsqlDataSource _dataSource;
    private readonly KnowledgeSnapshot<DirectoryData> _current;

    public PostgresDirectoryStore(NpgsqlDataSource dataSource, KnowledgeChanges changes)
    {
        _dataSource = dataSource;
        _current = new(changes, KnowledgeTopic.Directory, LoadAsync);
    }

    public async Task<bool> IsEmptyAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT NOT EXISTS (SELECT FROM directory_rows WHERE kind IN ('communities', 'grids', 'workers'))");
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Reads the whole directory from the database, rows in the order they were imported.</summary>
    public async Task<DirectoryData> LoadAsync(CancellationToken cancellationToken)
    {
        var rows = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        // One statement, so one snapshot: never half of one import and half of another.
        await using (var command = _dataSource.CreateCommand("SELECT kind, doc FROM directory_rows ORDER BY kind, position"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var kind = reader.GetString(0);
                if (!rows.TryGetValue(kind, out var docs))
                {
                    rows[kind] = docs = [];
                }

                docs.Add(reader.GetString(1));
            }
        }

        List<T> Read<T>(string kind) => rows.TryGetValue(kind, out var docs)
            ? docs.Select(d => JsonSerializer.Deserialize<T>(d, Json) ?? throw new InvalidOperationException($"A stored {kind} row is null.")).ToList()
            : [];

        return new DirectoryData
        {
            StreetOffice = Read<StreetOffice>(Office).FirstOrDefault() ?? new StreetOffice { Name = "" },
            Communities = Read<Community>("communities"),
            Grids = Read<Grid>("grids"),
            Compounds = Read<Compound>("compounds"),
            Workers = Read<Worker>("workers"),
            Roster = Read<DutyShift>("roster"),
            Leave = Read<LeavePeriod>("leave"),
            Departments = Read<Department>("departments"),
        };
    }

    /// <summary>
    /// The directory from this instance's copy, loaded again once a replace (through any instance) has been notified here:
    /// shared with other readers, read it only.
    /// </summary>
    public Task<DirectoryData> CurrentAsync(CancellationToken cancellationToken) => _current.GetAsync(cancellationToken);

    /// <summary>Replaces the whole directory with <paramref name="data"/> in <paramref name="transaction"/> (validate it first).</summary>
    public async Task ReplaceAllAsync(DirectoryData data, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        var kinds = new List<string>();
        var positions = new List<int>();
        var docs = new List<string>();
        void Add<T>(string kind, IEnumerable<T> rows)
        {
            var position = 0;
            foreach (var row in rows)
            {
                kinds.Add(kind);
                positions.Add(position++);
                docs.Add(JsonSerializer.Serialize(row, Json));
            }
        }

        Add(Office, [data.StreetOffice]);
        Add("communities", data.Communities);
        Add("grids", data.Grids);
        Add("compounds", data.Compounds);
        Add("workers", data.Workers);
        Add("roster", data.Roster);
        Add("leave", data.Leave);
        Add("departments", data.Departments);

        var connection = PostgresKnowledge.ConnectionOf(transaction);
        // The lock keeps a second import out until this one commits (readers still read the old directory): without it the
        // second's DELETE, not seeing this one's new rows, would leave them to collide with its own inserts.
        await using (var clear = new NpgsqlCommand("LOCK TABLE directory_rows IN SHARE ROW EXCLUSIVE MODE; DELETE FROM directory_rows", connection, transaction))
        {
            await clear.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var insert = new NpgsqlCommand(
            "INSERT INTO directory_rows (kind, position, doc) SELECT * FROM unnest(@kinds::text[], @positions::integer[], @docs::json[])", connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter("kinds", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = kinds.ToArray() });
            insert.Parameters.Add(new NpgsqlParameter("positions", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = positions.ToArray() });
            insert.Parameters.Add(new NpgsqlParameter("docs", NpgsqlDbType.Array | NpgsqlDbType.Json) { Value = docs.ToArray() });
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await PostgresKnowledge.NotifyAsync(transaction, KnowledgeTopic.Directory, null, cancellationToken).ConfigureAwait(false);
    }
}
