using Npgsql;

namespace CommunityBot.Storage.Postgres;

/// <summary>
/// Brings a PostgreSQL database to the schema this build knows (<see cref="PostgresSchema"/>), recording each applied
/// migration in <c>schema_version</c>. Everything runs in one transaction under a transaction-level advisory lock, so when two
/// instances start at once one applies the migrations and the other waits, then finds the database current; a failed
/// migration leaves the database as it was. A database migrated by a newer build is refused, changing nothing.
/// </summary>
public sealed partial class PostgresSchemaMigrator(NpgsqlDataSource dataSource, ILogger<PostgresSchemaMigrator> logger)
{
    /// <summary>
    /// The migrator's advisory lock is <c>(LockSpace, LockId)</c> in the two-key form, whose key space is apart from the
    /// one-key form that <see cref="PostgresStorage.LockResidentAsync"/> takes, so no resident's key can collide with it.
    /// </summary>
    public const int LockSpace = 0x43427376; // "CBsv"

    /// <summary>The second key of the migrator's advisory lock.</summary>
    public const int LockId = 1;

    /// <summary>Applies the migrations of <see cref="PostgresSchema"/> the database lacks.</summary>
    /// <exception cref="StoreVersionException">The database was migrated by a newer build.</exception>
    public Task<PostgresMigrationResult> MigrateAsync(CancellationToken cancellationToken) =>
        MigrateAsync(PostgresSchema.Migrations, cancellationToken);

    /// <summary>The same with the given migrations, which must be numbered 1, 2, … in order (tests).</summary>
    public async Task<PostgresMigrationResult> MigrateAsync(IReadOnlyList<PostgresMigration> migrations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new ArgumentException($"Migration {i} has version {migrations[i].Version}; expected {i + 1}.", nameof(migrations));
            }
        }

        var known = migrations.Count;
        var database = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).Database ?? "(default)";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // Taken before the table is created: two concurrent CREATE TABLE IF NOT EXISTS can both miss the table and the
        // second then fails on the catalog's unique index. Released with the transaction, however it ends.
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@space, @id)", connection, transaction))
        {
            command.Parameters.AddWithValue("space", LockSpace);
            command.Parameters.AddWithValue("id", LockId);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var command = new NpgsqlCommand(
            "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL)",
            connection,
            transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        int version;
        await using (var command = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_version", connection, transaction))
        {
            version = (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        if (version > known)
        {
            throw new StoreVersionException(version, known,
                $"The PostgreSQL database {database} was migrated by a newer CommunityBot (schema version {version}; this build knows up to {known}). " +
                "Run the newer build on it, or restore a dump made by this version. Nothing was changed.");
        }

        if (version == known)
        {
            return new PostgresMigrationResult(version, version);
        }

        LogMigrating(database, version, known);
        foreach (var migration in migrations.Skip(version))
        {
            LogStep(migration.Version - 1, migration.Version, migration.Description);
            await using (var command = new NpgsqlCommand(migration.Sql, connection, transaction))
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var command = new NpgsqlCommand(
                "INSERT INTO schema_version (version, description, applied_at) VALUES (@version, @description, now())",
                connection,
                transaction))
            {
                command.Parameters.AddWithValue("version", migration.Version);
                command.Parameters.AddWithValue("description", migration.Description);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        LogMigrated(database, known);
        return new PostgresMigrationResult(version, known);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Migrating the PostgreSQL database {Database} from schema version {From} to {To}")]
    private partial void LogMigrating(string database, int from, int to);

    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL migration {From} → {To}: {Step}")]
    private partial void LogStep(int from, int to, string step);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Migrated the PostgreSQL database {Database} to schema version {Version}")]
    private partial void LogMigrated(string database, int version);
}
