namespace CommunityBot.Storage.Postgres;

/// <summary>What one <see cref="PostgresSchemaMigrator.MigrateAsync(CancellationToken)"/> found and left: equal when it applied nothing.</summary>
public readonly record struct PostgresMigrationResult(int From, int To)
{
    /// <summary>How many migrations this run applied (0 when another instance had already, or the database was current).</summary>
    public int Applied => To - From;
}
