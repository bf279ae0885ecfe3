namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>
/// A fact that needs a PostgreSQL server (<see cref="PostgresTestServer"/>; <c>.ci/run</c> starts one); reported as skipped
/// with the reason where <see cref="PostgresTestServer.Variable"/> is not set.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresTestServer.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
