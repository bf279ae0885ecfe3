using System.Text.Json;
using CommunityBot.Notices;
using Npgsql;
using NpgsqlTypes;

namespace CommunityBot.Storage.Postgres;

/// <summary>
/// <see cref="NoticeStore"/> on PostgreSQL (table <c>notices</c>, migration 8), for several instances sharing one database.
/// Writes run in the caller's transaction and send <c>NOTIFY knowledge</c> (<c>notices:{id}</c>) in it. The notices in
/// force, which every question is checked against, are answered from this instance's copy of the ones not withdrawn,
/// dropped when a notification arrives (<see cref="PostgresKnowledgeListener"/>); the console's reads go to the database.
/// </summary>
public sealed class PostgresNoticeStore
{
    private const string Insert = """
        INSERT INTO notices (id, doc, start_utc, end_utc, withdrawn_utc) VALUES (@id, @doc, @start, @end, @withdrawn)
        """;

    private const string Update = """
        UPDATE notices SET doc = @doc, start_utc = @start, end_utc = @end, withdrawn_utc = @withdrawn WHERE id = @id
        """;

    private const string NotWithdrawn = "SELECT id, doc FROM notices WHERE withdrawn_utc IS NULL";

    private static readonly JsonSerializerOptions Json = PostgresDocuments.Options;

    private readonly NpgsqlDataSource _dataSource;
    private readonly KnowledgeSnapshot<List<Notice>> _current;

    public PostgresNoticeStore(NpgsqlDataSource dataSource, KnowledgeChanges changes)
    {
        _dataSource = dataSource;
        _current = new(changes, KnowledgeTopic.Notices, ct => ReadAsync(NotWithdrawn, ct));
    }

    /// <summary>The notices not withdrawn, read now (what an instance keeps in memory: <see cref="PostgresNoticeMirror"/>).</summary>
    public async Task<IReadOnlyList<Notice>> NotWithdrawnAsync(CancellationToken cancellationToken) =>
        await ReadAsync(NotWithdrawn, cancellationToken).ConfigureAwait(false);

    public async Task<Notice?> FindAsync(int id, CancellationToken cancellationToken) =>
        (await ReadAsync("SELECT id, doc FROM notices WHERE id = @id", cancellationToken, id).ConfigureAwait(false)).SingleOrDefault();

    /// <summary>Every notice, newest window first (the console's list; notices are few).</summary>
    public async Task<IReadOnlyList<Notice>> AllAsync(CancellationToken cancellationToken) =>
        await ReadAsync("SELECT id, doc FROM notices ORDER BY start_utc DESC, id DESC", cancellationToken).ConfigureAwait(false);

    /// <summary>Notices not withdrawn whose window contains <paramref name="utc"/>; shared with other readers: read them only.</summary>
    public async Task<IReadOnlyList<Notice>> InForceAsync(DateTime utc, CancellationToken cancellationToken) =>
        (await _current.GetAsync(cancellationToken).ConfigureAwait(false)).Where(n => n.IsInForce(utc)).ToList();

    /// <summary>
    /// Notices not withdrawn that are in force at <paramref name="utc"/> or start by <paramref name="startsBy"/>; shared with
    /// other readers: read them only.
    /// </summary>
    public async Task<IReadOnlyList<Notice>> InForceOrStartingByAsync(DateTime utc, DateTime startsBy, CancellationToken cancellationToken) =>
        (await _current.GetAsync(cancellationToken).ConfigureAwait(false))
            .Where(n => n.IsInForceOrStartingBy(utc, startsBy)).ToList();

    /// <summary>Stores a new notice in <paramref name="transaction"/> and returns it with its id.</summary>
    public async Task<Notice> CreateAsync(Notice notice, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var connection = PostgresKnowledge.ConnectionOf(transaction);
        // The id is taken first so the document holds it too; a rolled-back create leaves a gap, as LiteDB's auto id may not.
        await using (var next = new NpgsqlCommand("SELECT nextval(pg_get_serial_sequence('notices', 'id'))", connection, transaction))
        {
            notice.Id = checked((int)(long)(await next.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!);
        }

        await WriteAsync(Insert, notice, transaction, cancellationToken).ConfigureAwait(false);
        return notice;
    }

    /// <summary>
    /// Reads the notice <c>FOR UPDATE</c> in <paramref name="transaction"/>, applies <paramref name="change"/> and stores it,
    /// so two instances' changes (two reports joining at once) apply one after the other. Null when there is no such notice
    /// or <paramref name="change"/> declined (nothing written, nothing notified).
    /// </summary>
    public async Task<Notice?> UpdateAsync(int id, Func<Notice, bool> change, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        Notice? notice;
        await using (var read = new NpgsqlCommand("SELECT id, doc FROM notices WHERE id = @id FOR UPDATE", PostgresKnowledge.ConnectionOf(transaction), transaction))
        {
            read.Parameters.AddWithValue("id", id);
            notice = (await ReadAsync(read, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
        }

        if (notice is null || !change(notice))
        {
            return null;
        }

        notice.Id = id;
        await WriteAsync(Update, notice, transaction, cancellationToken).ConfigureAwait(false);
        return notice;
    }

    private static async Task WriteAsync(string sql, Notice notice, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using (var command = new NpgsqlCommand(sql, PostgresKnowledge.ConnectionOf(transaction), transaction))
        {
            command.Parameters.AddWithValue("id", notice.Id);
            command.Parameters.Add(new NpgsqlParameter("doc", NpgsqlDbType.Json) { Value = JsonSerializer.Serialize(notice, Json) });
            command.Parameters.AddWithValue("start", PostgresDocuments.ToUtc(notice.StartUtc));
            command.Parameters.AddWithValue("end", PostgresDocuments.ToUtc(notice.EndUtc));
            command.Parameters.Add(new NpgsqlParameter("withdrawn", NpgsqlDbType.TimestampTz)
            {
                Value = notice.WithdrawnUtc is { } withdrawn ? PostgresDocuments.ToUtc(withdrawn) : DBNull.Value,
            });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await PostgresKnowledge.NotifyAsync(transaction, KnowledgeTopic.Notices, notice.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<Notice>> ReadAsync(string sql, CancellationToken cancellationToken, int? id = null)
    {
        await using var command = _dataSource.CreateCommand(sql);
        if (id is { } value)
        {
            command.Parameters.AddWithValue("id", value);
        }

        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<List<Notice>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var notices = new List<Notice>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var notice = JsonSerializer.Deserialize<Notice>(reader.GetString(1), Json) ?? throw new InvalidOperationException("A stored notice is null.");
            notice.Id = reader.GetInt32(0);
            notices.Add(notice);
        }

        return notices;
    }
}
