using CommunityBot.Storage.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>
/// Brings a test database to migration 5 (<see cref="PostgresSchema.TicketTimers"/>) while it is not yet in
/// <see cref="PostgresSchema.Migrations"/>: migration 4, the outbox's, is on another branch, and the migrator takes only
/// versions without a gap, so a test-only stand-in (which creates nothing) holds its place when it is missing. Goes once
/// both are merged and 5 is in the list.
/// </summary>
public static class PostgresTimerSchema
{
    private static readonly PostgresMigration OutboxStandIn = new(4, "test stand-in for the outbox's migration 4", "SELECT 1");

    public static IReadOnlyList<PostgresMigration> Migrations { get; } = Build();

    /// <summary>Migrates the database of <paramref name="source"/> to <see cref="Migrations"/> (nothing when it already is).</summary>
    public static Task MigrateAsync(NpgsqlDataSource source) =>
        new PostgresSchemaMigrator(source, NullLogger<PostgresSchemaMigrator>.Instance).MigrateAsync(Migrations, CancellationToken.None);

    private static List<PostgresMigration> Build()
    {
        var migrations = PostgresSchema.Migrations.ToList();
        if (migrations.Any(m => m.Version == PostgresSchema.TicketTimers.Version))
        {
            return migrations;
        }

        if (migrations.Count == PostgresSchema.TicketTimers.Version - 2)
        {
            migrations.Add(OutboxStandIn);
        }

        migrations.Add(PostgresSchema.TicketTimers);
        return migrations;
    }
}
