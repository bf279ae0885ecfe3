using CommunityBot.Storage.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>
/// A class fixture: a throw-away database <c>cb_test_…</c> on <see cref="PostgresTestServer"/>, migrated to this build's
/// schema, and any further fresh databases a test asks for (<see cref="CreateDatabaseAsync"/>); all of them are dropped when
/// the class is done. Without a configured server it does nothing (the class's tests are skipped).
/// </summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    private readonly List<string> _databases = [];
    private readonly List<NpgsqlDataSource> _sources = [];

    /// <summary>The most connections one test "instance" opens at once.</summary>
    public const int MaxPoolSize = 8;

    /// <summary>The connection string of the class's migrated database.</summary>
    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (PostgresTestServer.ConnectionString is null)
        {
            return;
        }

        ConnectionString = await CreateDatabaseAsync();
        await new PostgresSchemaMigrator(NewDataSource(), NullLogger<PostgresSchemaMigrator>.Instance).MigrateAsync(CancellationToken.None);
    }

    /// <summary>
    /// A data source of its own (its own connection pool: an "instance") on <paramref name="connectionString"/>, by default
    /// the class's database; disposed with the fixture. Its pool holds at most <see cref="MaxPoolSize"/> connections, so the
    /// test classes running at once stay within the server's max_connections (100 by default): a burst beyond that waits
    /// for a pooled connection rather than being refused by the server.
    /// </summary>
    public NpgsqlDataSource NewDataSource(string? connectionString = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString ?? ConnectionString) { MaxPoolSize = MaxPoolSize };
        var source = NpgsqlDataSource.Create(builder.ConnectionString);
        lock (_sources)
        {
            _sources.Add(source);
        }

        return source;
    }

    /// <summary>Creates an empty database (no schema) and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var server = PostgresTestServer.ConnectionString ?? throw new InvalidOperationException(PostgresTestServer.SkipReason);
        var name = "cb_test_" + Guid.NewGuid().ToString("N");
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            // An identifier cannot be a parameter; the name is made here from a Guid, never from input.
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'", admin);
            await command.ExecuteNonQueryAsync();
        }

        lock (_databases)
        {
            _databases.Add(name);
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        foreach (var source in _sources)
        {
            await source.DisposeAsync();
        }

        if (PostgresTestServer.ConnectionString is not { } server || _databases.Count == 0)
        {
            return;
        }

        await using var admin = new NpgsqlConnection(server);
        await admin.OpenAsync();
        foreach (var name in _databases)
        {
            // FORCE (PostgreSQL 13+) ends connections a failed test may have left open.
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
            await command.ExecuteNonQueryAsync();
        }
    }
}
