using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using CommunityBot.Tickets;
using Npgsql;
using NpgsqlTypes;

namespace CommunityBot.Storage.Postgres;

/// <summary>
/// <see cref="TicketStore"/>'s operations on PostgreSQL (tables <c>tickets</c>, <c>ticket_reporters</c>,
/// <c>ticket_submissions</c>, <c>ticket_counters</c>), for several instances sharing one database. Writes run in the
/// caller's transaction (a turn's, beside its state and replies), so what commits with the ticket commits with it or not at
/// all. Numbers are <c>WT{yyyyMMdd}-{0000}</c> of the local day given, unique and gap-free per day on every instance: the
/// day's counter row is incremented in the transaction that inserts the ticket, so a rolled-back create gives its number
/// back and the next create of that day (on any instance) waits for the holder's commit. An update reads its ticket
/// <c>FOR UPDATE</c>, so two instances' changes to one ticket apply one after the other, the second to the first's result.
/// </summary>
/// <remarks>
/// The transactions must be READ COMMITTED (PostgreSQL's default): a create that finds its submission claimed by another
/// instance's transaction, and an update that waited for another's lock, read what that transaction committed. Reads use
/// pooled connections of their own and see committed tickets only. Unlike <see cref="TicketStore"/> it counts no metrics: the
/// commit is the caller's, so the caller counts once it has committed.
/// </remarks>
public sealed class PostgresTicketStore(NpgsqlDataSource dataSource)
{
    // The day's last number, taken and held (the row stays locked) until the caller's transaction ends.
    private const string TakeNumber = """
        INSERT INTO ticket_counters AS counter (day, last) VALUES (@day, 1)
        ON CONFLICT (day) DO UPDATE SET last = counter.last + 1
        RETURNING last
        """;

    // Claimed before a number is taken: of two instances filing one submission, the second waits here for the first's
    // transaction and, once it commits, inserts nothing (or claims the key after all when the first rolls back).
    private const string ClaimSubmission = "INSERT INTO ticket_submissions (key, at) VALUES (@key, @at) ON CONFLICT (key) DO NOTHING";

    private const string InsertTicket = """
        INSERT INTO tickets (number, doc, status, category, grid_id, assignee_id, co_handlers, level_now, created_at, queue_due)
        VALUES (@number, @doc, @status, @category, @grid_id, @assignee_id, @co_handlers, @level_now, @created_at, @queue_due)
        """;

    private const string UpdateTicket = """
        UPDATE tickets SET doc = @doc, status = @status, category = @category, grid_id = @grid_id, assignee_id = @assignee_id,
            co_handlers = @co_handlers, level_now = @level_now, created_at = @created_at, queue_due = @queue_due
        WHERE number = @number
        """;

    private const string InsertReporters = """
        INSERT INTO ticket_reporters (reporter_key, created_at, number) SELECT unnest(@keys), @created_at, @number
        ON CONFLICT DO NOTHING
        """;

    // The statuses of TicketStatus's IsOpen, as the tickets_open index names them.
    private const string OpenStatuses = "('Pending', 'InProgress', 'Reopened', 'Returned')";

    private static readonly JsonSerializerOptions Json = PostgresDocuments.Options;

    /// <summary>The ticket a submission (the channel's id of the message that said 提交) opened, if it did.</summary>
    public async Task<string?> TicketOfSubmissionAsync(string submissionKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submissionKey);
        await using var command = dataSource.CreateCommand("SELECT ticket FROM ticket_submissions WHERE key = @key AND ticket IS NOT NULL");
        command.Parameters.AddWithValue("key", StorageKeys.Bound(submissionKey));
        return (string?)await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Forgets submissions recorded before <paramref name="cutoffUtc"/> (read through their time index); returns how many.</summary>
    public async Task<int> DeleteSubmissionsBeforeAsync(DateTime cutoffUtc, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM ticket_submissions WHERE at < @cutoff");
        command.Parameters.AddWithValue("cutoff", ToUtc(cutoffUtc));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<Ticket?> FindAsync(string number, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(number);
        await using var command = dataSource.CreateCommand("SELECT doc FROM tickets WHERE number = @number");
        command.Parameters.AddWithValue("number", number);
        return (await ReadAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    /// <summary>Every ticket, by number (the console's export and the demo's "is it empty").</summary>
    public async Task<IReadOnlyList<Ticket>> AllAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT doc FROM tickets ORDER BY number");
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Tickets reported or joined by this resident ("channel|userId"), newest first: a range of <c>ticket_reporters</c>'s
    /// primary key read backwards, which stops at <paramref name="limit"/>.
    /// </summary>
    public async Task<IReadOnlyList<Ticket>> ReportedByAsync(string reporterKey, int limit = 20, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reporterKey);
        await using var command = dataSource.CreateCommand("""
            SELECT t.doc FROM ticket_reporters r JOIN tickets t ON t.number = r.number
            WHERE r.reporter_key = @key ORDER BY r.created_at DESC, r.number DESC LIMIT @limit
            """);
        command.Parameters.AddWithValue("key", reporterKey);
        command.Parameters.AddWithValue("limit", limit);
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The worker's open tickets (待签收, 处理中, 重办) assigned to them, the most urgent first: by the signing deadline
    /// while pending, by the closing deadline once signed or reopened (the partial index <c>tickets_queue</c>, in order).
    /// </summary>
    public async Task<IReadOnlyList<Ticket>> QueueOfAsync(string workerId, int limit = 50, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workerId);
        await using var command = dataSource.CreateCommand("""
            SELECT doc FROM tickets WHERE assignee_id = @worker AND queue_due IS NOT NULL
            ORDER BY queue_due, number LIMIT @limit
            """);
        command.Parameters.AddWithValue("worker", workerId);
        command.Parameters.AddWithValue("limit", limit);
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Tickets created from <paramref name="fromUtc"/> to <paramref name="toUtc"/> inclusive, newest first, streamed from
    /// one query: only what the caller takes is read (Open311's list). The connection is held until the enumeration ends.
    /// </summary>
    public async IAsyncEnumerable<Ticket> CreatedBetweenAsync(DateTime fromUtc, DateTime toUtc, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT doc FROM tickets WHERE created_at BETWEEN @from AND @to ORDER BY created_at DESC, number DESC
            """);
        command.Parameters.AddWithValue("from", ToUtc(fromUtc));
        command.Parameters.AddWithValue("to", ToUtc(toUtc));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return Parse(reader.GetString(0));
        }
    }

    /// <summary>
    /// The admin console's list: tickets matching <paramref name="filter"/>, newest first, at most <c>Limit</c> after passing
    /// over <c>Skip</c>. Each filter is a condition on its column; the planner picks the index ("status|created",
    /// "category|created", "level|created", "grid|created", or the assignee's and co-handlers' for a worker's view).
    /// </summary>
    public async Task<IReadOnlyList<Ticket>> SearchAsync(TicketFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var command = dataSource.CreateCommand();
        var conditions = new List<string>();
        void Where(string condition, string name, object value)
        {
            conditions.Add(condition);
            command.Parameters.AddWithValue(name, value);
        }

        if (filter.Status is { } status)
        {
            Where("status = @status", "status", status.ToString());
        }
        if (filter.Category is { Length: > 0 } category)
        {
            Where("category = @category", "category", category);
        }
        if (filter.GridId is { Length: > 0 } grid)
        {
            Where("grid_id = @grid", "grid", grid);
        }
        if (filter.Level is { } level)
        {
            Where("level_now = @level", "level", level.ToString());
        }
        if (filter.CreatedFromUtc is { } from)
        {
            Where("created_at >= @from", "from", ToUtc(from));
        }
        if (filter.CreatedBeforeUtc is { } before)
        {
            Where("created_at < @before", "before", ToUtc(before));
        }
        if (filter.GridIds is not null || filter.HandlerIds is not null)
        {
            Where("(grid_id = ANY(@grids) OR assignee_id = ANY(@handlers) OR co_handlers && @handlers)", "grids", (filter.GridIds ?? []).ToArray());
            command.Parameters.AddWithValue("handlers", (filter.HandlerIds ?? []).ToArray());
        }

        command.CommandText = "SELECT doc FROM tickets"
            + (conditions.Count > 0 ? " WHERE " + string.Join(" AND ", conditions) : "")
            + " ORDER BY created_at DESC, number DESC OFFSET @skip LIMIT @limit";
        command.Parameters.AddWithValue("skip", filter.Skip);
        command.Parameters.AddWithValue("limit", filter.Limit);
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Open tickets created since <paramref name="since"/> (UTC), newest first: the candidates a new report may join.</summary>
    public async Task<IReadOnlyList<Ticket>> OpenSinceAsync(DateTime since, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT doc FROM tickets WHERE created_at >= @since AND status IN {OpenStatuses} ORDER BY created_at DESC, number DESC
            """);
        command.Parameters.AddWithValue("since", ToUtc(since));
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Inserts a new ticket with the next number of its day in <paramref name="localNow"/>'s calendar (e.g. WT20261123-0042)
    /// in <paramref name="transaction"/>, which the caller commits with whatever else belongs to it (the worker's card). The
    /// day's counter stays locked until that transaction ends, so keep what follows the create short. When the ticket's
    /// submission already opened a ticket (committed by another instance, which this waits for), nothing is written and that
    /// ticket is returned with <see cref="TicketCreation.Opened"/> false.
    /// </summary>
    public async Task<TicketCreation> CreateAsync(Ticket ticket, DateTimeOffset localNow, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var connection = ConnectionOf(transaction);
        var createdAt = ToUtc(ticket.CreatedAt);
        var submission = ticket.SubmissionKey is { } key ? StorageKeys.Bound(key) : null;
        if (submission is not null)
        {
            await using var claim = new NpgsqlCommand(ClaimSubmission, connection, transaction);
            claim.Parameters.AddWithValue("key", submission);
            claim.Parameters.AddWithValue("at", createdAt);
            if (await claim.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                return new TicketCreation(await FiledAsync(submission, transaction, cancellationToken).ConfigureAwait(false), Opened: false);
            }
        }

        var day = DateOnly.FromDateTime(localNow.DateTime);
        await using (var take = new NpgsqlCommand(TakeNumber, connection, transaction))
        {
            take.Parameters.AddWithValue("day", day);
            var next = (int)(await take.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            ticket.Number = string.Create(CultureInfo.InvariantCulture, $"WT{day:yyyyMMdd}-{next:0000}");
        }

        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(WriteTicket(InsertTicket, ticket));
        batch.BatchCommands.Add(WriteReporters(ticket.Number, createdAt, ticket.ReporterKeys));
        if (submission is not null)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("UPDATE ticket_submissions SET ticket = @ticket WHERE key = @key")
            {
                Parameters = { new("ticket", ticket.Number), new("key", submission) },
            });
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return new TicketCreation(ticket, Opened: true);
    }

    /// <summary>
    /// Reads the ticket and locks it until <paramref name="transaction"/> ends (waiting for another instance's change to
    /// commit first), applies <paramref name="change"/> and stores it there. Null, storing nothing, when there is no such
    /// ticket or <paramref name="change"/> returns false.
    /// </summary>
    public async Task<Ticket?> UpdateAsync(string number, Func<Ticket, bool> change, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(number);
        ArgumentNullException.ThrowIfNull(change);
        var connection = ConnectionOf(transaction);
        Ticket? ticket;
        await using (var read = new NpgsqlCommand("SELECT doc FROM tickets WHERE number = @number FOR UPDATE", connection, transaction))
        {
            read.Parameters.AddWithValue("number", number);
            ticket = (await ReadAsync(read, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
        }

        if (ticket is null)
        {
            return null;
        }

        var reportersBefore = ticket.ReporterKeys.ToHashSet(StringComparer.Ordinal);
        var createdBefore = ToUtc(ticket.CreatedAt);
        if (!change(ticket))
        {
            return null;
        }

        ticket.Number = number; // the row's key and the document's number stay one, whatever the change did
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(WriteTicket(UpdateTicket, ticket));
        var createdAt = ToUtc(ticket.CreatedAt);
        if (createdAt != createdBefore || !reportersBefore.SetEquals(ticket.ReporterKeys))
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM ticket_reporters WHERE number = @number") { Parameters = { new("number", number) } });
            batch.BatchCommands.Add(WriteReporters(number, createdAt, ticket.ReporterKeys));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return ticket;
    }

    /// <summary>The ticket an already claimed submission names: committed by the transaction this one's claim waited for.</summary>
    private static async Task<Ticket> FiledAsync(string submission, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT t.doc FROM ticket_submissions s JOIN tickets t ON t.number = s.ticket WHERE s.key = @key",
            transaction.Connection,
            transaction);
        command.Parameters.AddWithValue("key", submission);
        return (await ReadAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault()
            ?? throw new InvalidOperationException($"Submission {submission} is recorded without its ticket.");
    }

    private static NpgsqlConnection ConnectionOf(NpgsqlTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return transaction.Connection ?? throw new InvalidOperationException("The transaction has already ended.");
    }

    // The document and, beside it, the columns the queries use, all from the one ticket.
    private static NpgsqlBatchCommand WriteTicket(string sql, Ticket ticket) => new(sql)
    {
        Parameters =
        {
            new("number", ticket.Number),
            new("doc", NpgsqlDbType.Json) { Value = JsonSerializer.Serialize(ticket, Json) },
            new("status", ticket.Status.ToString()),
            new("category", ticket.Category),
            new("grid_id", NpgsqlDbType.Text) { Value = (object?)ticket.GridId ?? DBNull.Value },
            new("assignee_id", ticket.AssigneeId),
            new("co_handlers", ticket.CoHandlers.ToArray()),
            new("level_now", ticket.CurrentLevel.ToString()),
            new("created_at", ToUtc(ticket.CreatedAt)),
            new("queue_due", NpgsqlDbType.TimestampTz) { Value = (object?)QueueDue(ticket) ?? DBNull.Value },
        },
    };

    private static NpgsqlBatchCommand WriteReporters(string number, DateTime createdAt, IEnumerable<string> reporterKeys) => new(InsertReporters)
    {
        Parameters =
        {
            new("keys", reporterKeys.Distinct(StringComparer.Ordinal).ToArray()),
            new("created_at", createdAt),
            new("number", number),
        },
    };

    /// <summary>The deadline that orders an open ticket in its assignee's queue; null when it is not in a queue.</summary>
    private static DateTime? QueueDue(Ticket ticket) => ticket.Status switch
    {
        TicketStatus.Pending => ToUtc(ticket.SignBy),
        TicketStatus.InProgress or TicketStatus.Reopened => ToUtc(ticket.CloseBy),
        _ => null,
    };

    private static async Task<List<Ticket>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var tickets = new List<Ticket>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            tickets.Add(Parse(reader.GetString(0)));
        }

        return tickets;
    }

    private static Ticket Parse(string json) =>
        JsonSerializer.Deserialize<Ticket>(json, Json) ?? throw new InvalidOperationException("A stored ticket is null.");

    private static DateTime ToUtc(DateTime value) => PostgresDocuments.ToUtc(value);
}
