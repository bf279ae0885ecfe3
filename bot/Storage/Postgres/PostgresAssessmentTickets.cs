using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using CommunityBot.Oversight;
using CommunityBot.Tickets;
using Npgsql;

namespace CommunityBot.Storage.Postgres;

/// <summary>
/// The assessment's tickets on PostgreSQL (table <c>tickets</c>): one query over the period's range of the
/// <c>tickets_created</c> index, in its order, streamed row by row, that returns only what the assessment computes from.
/// The columns beside the document give the number, grid, assignee, category and status; the rest (the assignee's name,
/// the times and the event log) is taken from the document by the server, in one parse of it.
/// </summary>
public sealed class PostgresAssessmentTickets(NpgsqlDataSource dataSource) : IAssessmentTickets
{
    // json_to_record parses each document once (each -> on a json column would parse it again). The times are the
    // document's text, read here: timestamptz (the created_at column, or a cast) keeps microseconds, the document the
    // ticket's own ticks, so the figures are those of the ticket as PostgresTicketStore reads it.
    private const string Select = """
        SELECT t.number, t.grid_id, t.assignee_id, t.category, t.status, d."AssigneeName", d."CreatedAt", d."SignBy", d."CloseBy", d."Events"
        FROM tickets t, json_to_record(t.doc) AS d("AssigneeName" text, "CreatedAt" text, "SignBy" text, "CloseBy" text, "Events" json)
        WHERE t.created_at >= @from AND t.created_at < @to
        ORDER BY t.created_at, t.number
        """;

    /// <summary>The connection is held until the enumeration ends.</summary>
    public async IAsyncEnumerable<AssessedTicket> CreatedBetweenAsync(
        DateTime fromUtc, DateTime toUtc, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Select);
        command.Parameters.AddWithValue("from", PostgresDocuments.ToUtc(fromUtc));
        command.Parameters.AddWithValue("to", PostgresDocuments.ToUtc(toUtc));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var ticket = new AssessedTicket
            {
                Number = reader.GetString(0),
                GridId = reader.IsDBNull(1) ? null : reader.GetString(1),
                AssigneeId = reader.GetString(2),
                Category = reader.GetString(3),
                Status = Enum.Parse<TicketStatus>(reader.GetString(4)),
                AssigneeName = reader.IsDBNull(5) ? "" : reader.GetString(5),
                CreatedAt = Time(reader.GetString(6)),
                SignBy = Time(reader.GetString(7)),
                CloseBy = Time(reader.GetString(8)),
            };
            var events = reader.IsDBNull(9) ? [] : JsonSerializer.Deserialize<List<TicketEvent>>(reader.GetString(9), PostgresDocuments.Options) ?? [];
            yield return AssessedTicket.WithEvents(ticket, events);
        }
    }

    // As the document's converter reads it: an ISO 8601 UTC instant, to the tick.
    private static DateTime Time(string text) =>
        PostgresDocuments.ToUtc(DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));
}
