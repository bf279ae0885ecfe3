using Npgsql;

namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>
/// Where two instances must meet in a test: waits until PostgreSQL itself reports one session blocked by the other
/// (<c>pg_blocking_pids</c>), so the overlap is certain rather than timed.
/// </summary>
public static class PostgresBlocking
{
    /// <summary>Returns once session <paramref name="waiter"/> is blocked by session <paramref name="holder"/>; fails if <paramref name="work"/> ends first instead.</summary>
    public static async Task WaitUntilBlockedAsync(NpgsqlDataSource observer, int waiter, int holder, Task work, CancellationToken cancellationToken)
    {
        await using var command = observer.CreateCommand("SELECT @holder = ANY(pg_blocking_pids(@waiter))");
        command.Parameters.AddWithValue("holder", holder);
        command.Parameters.AddWithValue("waiter", waiter);
        while (!work.IsCompleted && !(bool)(await command.ExecuteScalarAsync(cancellationToken))!)
        {
        }

        Assert.False(work.IsCompleted, "the second instance did not wait for the first");
    }
}
