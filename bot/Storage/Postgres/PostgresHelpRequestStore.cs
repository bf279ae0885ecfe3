using System.Text.Json;
using CommunityBot.Dialogs.Handoff;
using CommunityBot.Handoff;
using Npgsql;
using NpgsqlTypes;

namespace CommunityBot.Storage.Postgres;

/// <summary>
/// <see cref="HelpRequestStore"/> on PostgreSQL (table <c>help_requests</c>): residents' requests for a person (人工), kept
/// for the office whichever instance heard them. A request is written when it is made, in a statement of its own, as
/// LiteDB's store does (not with the turn's commit).
/// </summary>
public sealed partial class PostgresHelpRequestStore(NpgsqlDataSource dataSource, ILogger<PostgresHelpRequestStore> logger) : IHumanHelp
{
    private static readonly JsonSerializerOptions Json = PostgresDocuments.Options;

    public async Task RequestAsync(HelpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var document = new HelpRequestDocument
        {
            Channel = request.From.Channel,
            ConversationId = request.From.ConversationId,
            UserId = request.From.UserId,
            UserName = request.From.UserName,
            Question = request.Question,
            At = request.At.UtcDateTime,
        };
        await using var command = dataSource.CreateCommand("INSERT INTO help_requests (at, doc) VALUES (@at, @doc)");
        command.Parameters.AddWithValue("at", document.At);
        command.Parameters.Add(new NpgsqlParameter("doc", NpgsqlDbType.Json) { Value = JsonSerializer.Serialize(document, Json) });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        LogRequested(request.From.Channel, request.From.ConversationId);
    }

    /// <summary>Requests, newest first (of one instant, the later written first).</summary>
    public async Task<IReadOnlyList<HelpRequestDocument>> RecentAsync(int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT doc FROM help_requests ORDER BY at DESC, id DESC LIMIT @limit");
        command.Parameters.AddWithValue("limit", limit);
        var requests = new List<HelpRequestDocument>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            requests.Add(JsonSerializer.Deserialize<HelpRequestDocument>(reader.GetString(0), Json)
                ?? throw new InvalidOperationException("A stored help request is null."));
        }

        return requests;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resident asked for a person in {Channel} conversation {ConversationId}")]
    private partial void LogRequested(string channel, string conversationId);
}
