using CommunityBot.Storage;
using CommunityBot.Storage.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>The PostgreSQL schema migrator, each test on a fresh empty database of its own.</summary>
public sealed class PostgresSchemaMigratorTests(PostgresDatabase server) : IClassFixture<PostgresDatabase>
{
    private static readonly PostgresMigration TableA = new(1, "table a", "CREATE TABLE a (id integer PRIMARY KEY); INSERT INTO a VALUES (1);");
    private static readonly PostgresMigration TableB = new(2, "table b", "CREATE TABLE b (id integer PRIMARY KEY);");

    [PostgresFact]
    public async Task Migrate_FreshDatabase_AppliesEveryMigrationAndRecordsTheVersion()
    {
        var source = server.NewDataSource(await server.CreateDatabaseAsync());

        var result = await Migrator(source).MigrateAsync(CancellationToken.None);

        Assert.Equal(new PostgresMigrationResult(0, PostgresSchema.CurrentVersion), result);
        Assert.Equal(Enumerable.Range(1, PostgresSchema.CurrentVersion), await VersionsAsync(source));
        Assert.True(await ExistsAsync(source, "bot_state"));
        Assert.True(await ExistsAsync(source, "processed_messages"));
        foreach (var table in new[] { "tickets", "ticket_reporters", "ticket_submissions", "ticket_counters" })
        {
            Assert.True(await ExistsAsync(source, table), table);
        }
    }

    [PostgresFact]
    public async Task Migrate_CurrentDatabase_AppliesNothing()
    {
        var source = server.NewDataSource(await server.CreateDatabaseAsync());
        await Migrator(source).MigrateAsync(CancellationToken.None);

        var again = await Migrator(source).MigrateAsync(CancellationToken.None);

        Assert.Equal(0, again.Applied);
        Assert.Equal(PostgresSchema.CurrentVersion, again.To);
        Assert.Equal(Enumerable.Range(1, PostgresSchema.CurrentVersion), await VersionsAsync(source));
    }

    [PostgresFact]
    public async Task Migrate_OlderDatabase_AppliesOnlyTheMissingSteps()
    {
        var source = server.NewDataSource(await server.CreateDatabaseAsync());
        Assert.Equal(new PostgresMigrationResult(0, 1), await Migrator(source).MigrateAsync([TableA], CancellationToken.None));

        var result = await Migrator(source).MigrateAsync([TableA, TableB], CancellationToken.None);

        Assert.Equal(new PostgresMigrationResult(1, 2), result);
        Assert.Equal([1, 2], await VersionsAsync(source));
        Assert.Equal(1L, await ScalarAsync(source, "SELECT count(*) FROM a")); // step 1 did not run again
        Assert.True(await ExistsAsync(source, "b"));
    }

    [PostgresFact]
    public async Task Migrate_TwoInstancesAtOnce_OneAppliesAndBothEndAtTheSameVersion()
    {
        var database = await server.CreateDatabaseAsync();
        var observer = server.NewDataSource(database);
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2)); // against a hang, not a measure

        // Hold the migrators' lock so that both are provably waiting for it at the same moment, then let them go.
        await using var holder = await observer.OpenConnectionAsync();
        await using var hold = await holder.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@space, @id)", holder, hold))
        {
            command.Parameters.AddWithValue("space", PostgresSchemaMigrator.LockSpace);
            command.Parameters.AddWithValue("id", PostgresSchemaMigrator.LockId);
            await command.ExecuteNonQueryAsync();
        }

        var migrations = new[]
        {
            Migrator(server.NewDataSource(database)).MigrateAsync(CancellationToken.None),
            Migrator(server.NewDataSource(database)).MigrateAsync(CancellationToken.None),
        };
        while (await WaitingForTheMigratorLockAsync(observer, guard.Token) < 2 && !migrations.Any(m => m.IsCompleted))
        {
        }

        Assert.DoesNotContain(migrations, m => m.IsCompleted);
        await hold.RollbackAsync();
        var results = await Task.WhenAll(migrations);

        Assert.Equal([0, PostgresSchema.CurrentVersion], results.Select(r => r.Applied).Order());
        Assert.All(results, r => Assert.Equal(PostgresSchema.CurrentVersion, r.To));
        Assert.Equal(Enumerable.Range(1, PostgresSchema.CurrentVersion), await VersionsAsync(observer));
    }

    [PostgresFact]
    public async Task Migrate_DatabaseOfANewerBuild_IsRefusedNamingBothVersionsAndChangesNothing()
    {
        var source = server.NewDataSource(await server.CreateDatabaseAsync());
        await Migrator(source).MigrateAsync([TableA], CancellationToken.None);
        await using (var command = source.CreateCommand("INSERT INTO schema_version (version, description, applied_at) VALUES (7, 'from a newer build', now())"))
        {
            await command.ExecuteNonQueryAsync();
        }

        var refused = await Assert.ThrowsAsync<StoreVersionException>(() => Migrator(source).MigrateAsync([TableA, TableB], CancellationToken.None));

        Assert.Equal(7, refused.Found);
        Assert.Equal(2, refused.Supported);
        Assert.Contains("schema version 7", refused.Message, StringComparison.Ordinal);
        Assert.Contains("knows up to 2", refused.Message, StringComparison.Ordinal);
        Assert.False(await ExistsAsync(source, "b"));
        Assert.Equal([1, 7], await VersionsAsync(source));
    }

    [PostgresFact]
    public async Task Migrate_FailingStep_LeavesTheDatabaseAsItWas()
    {
        var source = server.NewDataSource(await server.CreateDatabaseAsync());
        var failing = new PostgresMigration(2, "fails halfway", "CREATE TABLE b (id integer); SELECT 1 / 0;");

        await Assert.ThrowsAsync<PostgresException>(() => Migrator(source).MigrateAsync([TableA, failing], CancellationToken.None));

        Assert.False(await ExistsAsync(source, "a"));
        Assert.False(await ExistsAsync(source, "b"));
        Assert.False(await ExistsAsync(source, "schema_version"));
        Assert.Equal(new PostgresMigrationResult(0, 2), await Migrator(source).MigrateAsync([TableA, TableB], CancellationToken.None));
    }

    [Fact]
    public async Task Migrate_MigrationsOutOfOrder_AreRefusedBeforeConnecting()
    {
        await using var nowhere = NpgsqlDataSource.Create("Host=invalid.invalid;Database=none");

        await Assert.ThrowsAsync<ArgumentException>(() => Migrator(nowhere).MigrateAsync([TableB, TableA], CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Migrator(nowhere).MigrateAsync([TableB], CancellationToken.None));
    }

    private static PostgresSchemaMigrator Migrator(NpgsqlDataSource source) => new(source, NullLogger<PostgresSchemaMigrator>.Instance);

    private static async Task<List<int>> VersionsAsync(NpgsqlDataSource source)
    {
        var versions = new List<int>();
        await using var command = source.CreateCommand("SELECT version FROM schema_version ORDER BY version");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    private static async Task<bool> ExistsAsync(NpgsqlDataSource source, string table)
    {
        await using var command = source.CreateCommand("SELECT to_regclass(@table) IS NOT NULL");
        command.Parameters.AddWithValue("table", table);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<object?> ScalarAsync(NpgsqlDataSource source, string sql)
    {
        await using var command = source.CreateCommand(sql);
        return await command.ExecuteScalarAsync();
    }

    // Sessions of this database waiting for the migrators' advisory lock (the two-key form: objsubid 2).
    private static async Task<long> WaitingForTheMigratorLockAsync(NpgsqlDataSource source, CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand("""
            SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database
            WHERE d.datname = current_database() AND l.locktype = 'advisory' AND NOT l.granted
              AND l.classid = @space::oid AND l.objid = @id::oid AND l.objsubid = 2
            """);
        command.Parameters.AddWithValue("space", (long)PostgresSchemaMigrator.LockSpace);
        command.Parameters.AddWithValue("id", (long)PostgresSchemaMigrator.LockId);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
