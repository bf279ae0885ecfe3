using System.Text.Json;
using CommunityBot.Faq;
using Npgsql;
using NpgsqlTypes;

namespace CommunityBot.Storage.Postgres;

/// <summary>
/// <see cref="FaqStore"/> on PostgreSQL (table <c>faq_entries</c>, migration 8), for several instances sharing one database.
/// Writes run in the caller's transaction and send <c>NOTIFY knowledge</c> (<c>faq:{id}</c> for one entry, <c>faq</c> for
/// many) in it, so every instance's <see cref="PostgresKnowledgeListener"/> drops its copies when it commits.
/// <see cref="FindAsync"/> answers from such a copy (every answered question reads its entry); the other reads go to the
/// database.
/// </summary>
public sealed class PostgresFaqStore
{
    private const string Upsert = """
        INSERT INTO faq_entries (key, enabled, doc)
        SELECT * FROM unnest(@keys::text[], @enabled::boolean[], @docs::json[])
        ON CONFLICT (key) DO UPDATE SET enabled = excluded.enabled, doc = excluded.doc
        """;

    private static readonly JsonSerializerOptions Json = PostgresDocuments.Options;

    private readonly NpgsqlDataSource _dataSource;
    private readonly KnowledgeSnapshot<Dictionary<string, FaqEntry>> _entries;

    public PostgresFaqStore(NpgsqlDataSource dataSource, KnowledgeChanges changes)
    {
        _dataSource = dataSource;
        _entries = new(changes, KnowledgeTopic.Faq, async ct => CommittedSnapshot.ById(await ReadAsync("SELECT doc FROM faq_entries", ct).ConfigureAwait(false), e => e.Id));
    }

    public async Task<int> CountAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT count(*) FROM faq_entries");
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Every entry, by id (ordinal, as <see cref="FaqStore.All"/>).</summary>
    public async Task<IReadOnlyList<FaqEntry>> AllAsync(CancellationToken cancellationToken) =>
        (await ReadAsync("SELECT doc FROM faq_entries", cancellationToken).ConfigureAwait(false)).OrderBy(e => e.Id, StringComparer.Ordinal).ToList();

    public async Task<IReadOnlyList<FaqEntry>> EnabledAsync(CancellationToken cancellationToken) =>
        await ReadAsync("SELECT doc FROM faq_entries WHERE enabled", cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// The entry (id compared ignoring case), as a copy the caller may change, from this instance's copy of the committed
    /// entries: another instance's edit is seen once its notification has arrived here.
    /// </summary>
    public async Task<FaqEntry?> FindAsync(string id, CancellationToken cancellationToken) =>
        (await _entries.GetAsync(cancellationToken).ConfigureAwait(false)).GetValueOrDefault(id)?.Copy();

    /// <summary>Inserts or replaces one entry by id in <paramref name="transaction"/>.</summary>
    public async Task UpsertAsync(FaqEntry entry, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await WriteAsync([entry], transaction, cancellationToken).ConfigureAwait(false);
        await PostgresKnowledge.NotifyAsync(transaction, KnowledgeTopic.Faq, entry.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Inserts or replaces the entries by id in <paramref name="transaction"/> (of one id given twice, the last).</summary>
    public async Task UpsertAsync(IReadOnlyCollection<FaqEntry> entries, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        // One statement cannot change a row twice (ON CONFLICT), and LiteDB's upserts one by one leave the last.
        var last = entries.GroupBy(e => Key(e.Id)).Select(g => g.Last()).ToList();
        await WriteAsync(last, transaction, cancellationToken).ConfigureAwait(false);
        await PostgresKnowledge.NotifyAsync(transaction, KnowledgeTopic.Faq, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replaces the whole knowledge base with <paramref name="entries"/> in <paramref name="transaction"/>.</summary>
    public async Task ReplaceAllAsync(IReadOnlyCollection<FaqEntry> entries, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        // The lock keeps other writers out until this commits (readers still read the old knowledge base): without it a
        // second replace's DELETE would not see the first's new rows and its inserts would collide with them.
        await using (var command = new NpgsqlCommand("LOCK TABLE faq_entries IN SHARE ROW EXCLUSIVE MODE; DELETE FROM faq_entries", PostgresKnowledge.ConnectionOf(transaction), transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await WriteAsync(entries, transaction, cancellationToken).ConfigureAwait(false);
        await PostgresKnowledge.NotifyAsync(transaction, KnowledgeTopic.Faq, null, cancellationToken).ConfigureAwait(false);
    }

    // Ids compare ignoring case, as on LiteDB (its default collation) and in the snapshot's dictionary.
    private static string Key(string id) => id.ToUpperInvariant();

    private static async Task WriteAsync(IReadOnlyCollection<FaqEntry> entries, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand(Upsert, PostgresKnowledge.ConnectionOf(transaction), transaction);
        command.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = entries.Select(e => Key(e.Id)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("enabled", NpgsqlDbType.Array | NpgsqlDbType.Boolean) { Value = entries.Select(e => e.Enabled).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("docs", NpgsqlDbType.Array | NpgsqlDbType.Json) { Value = entries.Select(ToDocument).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // A variant read from a file names its place only once FaqScopes.Resolve has checked it against the directory; what the
    // file wrote and where are not kept (as on LiteDB).
    private static string ToDocument(FaqEntry entry)
    {
        if (entry.Variants.Any(v => !v.IsResolved))
        {
            throw new InvalidOperationException($"FAQ entry {entry.Id} has a variant whose scope was not resolved against the directory.");
        }

        var stored = entry.Copy();
        foreach (var variant in stored.Variants)
        {
            variant.Written = null;
            variant.Source = null;
        }

        return JsonSerializer.Serialize(stored, Json);
    }

    private async Task<List<FaqEntry>> ReadAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(sql);
        var entries = new List<FaqEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(JsonSerializer.Deserialize<FaqEntry>(reader.GetString(0), Json) ?? throw new InvalidOperationException("A stored FAQ entry is null."));
        }

        return entries;
    }
}
