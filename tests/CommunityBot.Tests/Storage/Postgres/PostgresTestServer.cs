namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>
/// The PostgreSQL server the PostgreSQL tests may use: a connection string in <see cref="Variable"/> to a server where they
/// may create and drop databases (<see cref="PostgresDatabase"/>). <c>.ci/run</c> starts a throw-away cluster and sets it.
/// </summary>
public static class PostgresTestServer
{
    public const string Variable = "COMMUNITYBOT_TEST_POSTGRES";

    public static string? ConnectionString { get; } = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    /// <summary>Why the PostgreSQL tests are skipped, or null when they run.</summary>
    public static string? SkipReason => ConnectionString is null
        ? $"{Variable} is not set: point it at a PostgreSQL server where the tests may create databases, e.g. " +
          "\"Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres\" (.ci/run starts a throw-away cluster and sets it)."
        : null;
}
