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

    /// <summary>Ends session <paramref name="pid"/> as a killed instance's would end, and returns once PostgreSQL has released what it held.</summary>
    public static async Task KillAsync(NpgsqlDataSource observer, int pid, CancellationToken cancellationToken)
    {
        await using (var kill = observer.CreateCommand("SELECT pg_terminate_backend(@pid)"))
        {
            kill.Parameters.AddWithValue("pid", pid);
            Assert.True((bool)(await kill.ExecuteScalarAsync(cancellationToken))!);
        }

        await using var alive = observer.CreateCommand("""
            SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = @pid) OR EXISTS (SELECT 1 FROM pg_locks WHERE pid = @pid)
            """);
        alive.Parameters.AddWithValue("pid", pid);
        while ((bool)(await alive.ExecuteScalarAsync(cancellationToken))!)
        {
        }
    }
}
