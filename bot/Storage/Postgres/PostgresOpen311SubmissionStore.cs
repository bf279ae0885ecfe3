using System.Text.Json;
using CommunityBot.Open311;
using Npgsql;
using NpgsqlTypes;

namespace CommunityBot.Storage.Postgres;

/// <summary>
/// <see cref="Open311SubmissionStore"/> on PostgreSQL (table <c>open311_submissions</c>): what an Open311 client sent beyond
/// the report, one <c>json</c> document per ticket, keyed by its number. Inserted in the ticket's transaction and kept only
/// if the ticket has none yet (<c>ON CONFLICT DO NOTHING</c>: of two instances storing one ticket's extras at once, the
/// second waits for the first's commit and keeps nothing, or keeps its own if the first rolled back).
/// </summary>
public sealed class PostgresOpen311SubmissionStore(NpgsqlDataSource dataSource)
{
    private static readonly JsonSerializerOptions Json = PostgresDocuments.Options;

    public async Task<Open311Submission?> FindAsync(string ticketNumber, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticketNumber);
        await using var command = dataSource.CreateCommand("SELECT doc FROM open311_submissions WHERE ticket_number = @ticket");
        command.Parameters.AddWithValue("ticket", ticketNumber);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json
            ? JsonSerializer.Deserialize<Open311Submission>(json, Json) ?? throw new InvalidOperationException("A stored Open311 submission is null.")
            : null;
    }

    /// <summary>Stores the submission in <paramref name="transaction"/> (the ticket's) unless the ticket already has one; whether it was kept.</summary>
    public async Task<bool> InsertAsync(Open311Submission submission, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        ArgumentNullException.ThrowIfNull(transaction);
        var connection = transaction.Connection ?? throw new InvalidOperationException("The transaction has already ended.");
        await using var command = new NpgsqlCommand(
            "INSERT INTO open311_submissions (ticket_number, doc) VALUES (@ticket, @doc) ON CONFLICT (ticket_number) DO NOTHING",
            connection, transaction);
        command.Parameters.AddWithValue("ticket", submission.TicketNumber);
        command.Parameters.Add(new NpgsqlParameter("doc", NpgsqlDbType.Json) { Value = JsonSerializer.Serialize(submission, Json) });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }
}
