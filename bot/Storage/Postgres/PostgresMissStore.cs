using System.Text.Json;
using CommunityBot.Dialogs.Understanding;
using CommunityBot.Understanding;
using Npgsql;
using NpgsqlTypes;

namespace CommunityBot.Storage.Postgres;

/// <summary>
/// <see cref="Faq.MissStore"/> on PostgreSQL (table <c>faq_misses</c>, migration 8): the questions the assistant could not
/// answer directly, recorded in the caller's transaction (the turn's), at most <c>maxMisses</c> kept. Nothing holds misses
/// in memory, so no notification is sent: the console reads them from the database.
/// </summary>
public sealed class PostgresMissStore(NpgsqlDataSource dataSource, int maxMisses = FaqMatchingOptions.DefaultMaxMisses)
{
    // Past the limit the oldest go, down to nine tenths of it, so the prune runs once per tenth of the limit as on LiteDB.
    // Counting costs an index-only scan of at most maxMisses rows, once per miss (not per turn). Two instances pruning at
    // once may each take the oldest ones: a few more go, never the newest.
    private const string Prune = """
        WITH total AS (SELECT count(*) AS n FROM faq_misses)
        DELETE FROM faq_misses WHERE id IN (
            SELECT id FROM faq_misses ORDER BY at, id
            LIMIT (SELECT CASE WHEN n > @max THEN n - @keep ELSE 0 END FROM total))
        """;

    private static readonly JsonSerializerOptions Json = PostgresDocuments.Options;

    /// <summary>Records the miss in <paramref name="transaction"/>, dropping the oldest past the limit.</summary>
    public async Task RecordAsync(FaqMiss miss, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(miss);
        var connection = PostgresKnowledge.ConnectionOf(transaction);
        await using (var insert = new NpgsqlCommand("INSERT INTO faq_misses (at, doc) VALUES (@at, @doc)", connection, transaction))
        {
            insert.Parameters.AddWithValue("at", miss.At.UtcDateTime);
            insert.Parameters.Add(new NpgsqlParameter("doc", NpgsqlDbType.Json) { Value = JsonSerializer.Serialize(miss, Json) });
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var prune = new NpgsqlCommand(Prune, connection, transaction);
        prune.Parameters.AddWithValue("max", (long)maxMisses);
        prune.Parameters.AddWithValue("keep", (long)(maxMisses * 9 / 10));
        await prune.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The most recent misses, newest first.</summary>
    public async Task<IReadOnlyList<FaqMiss>> RecentAsync(int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT at, doc FROM faq_misses ORDER BY at DESC, id DESC LIMIT @limit");
        command.Parameters.AddWithValue("limit", limit);
        var misses = new List<FaqMiss>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var miss = JsonSerializer.Deserialize<FaqMiss>(reader.GetString(1), Json) ?? throw new InvalidOperationException("A stored miss is null.");
            // As a UTC instant, as LiteDB gives it back.
            misses.Add(miss with { At = new DateTimeOffset(reader.GetFieldValue<DateTime>(0), TimeSpan.Zero) });
        }

        return misses;
    }

    public async Task<int> CountAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM faq_misses");
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }
}
