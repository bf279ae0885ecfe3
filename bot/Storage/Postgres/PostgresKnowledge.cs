using Npgsql;

namespace CommunityBot.Storage.Postgres;

/// <summary>
/// The notifications of knowledge edits on channel <see cref="NotifyChannel"/>: the payload is the topic's name, then
/// optionally <c>:</c> and the id of what changed (<c>faq:a-12</c>, <c>notices:7</c>, <c>directory</c>, <c>holidays</c>).
/// </summary>
internal static class PostgresKnowledge
{
    public const string NotifyChannel = "knowledge";

    private static readonly Dictionary<string, KnowledgeTopic> Topics = new(StringComparer.Ordinal)
    {
        ["directory"] = KnowledgeTopic.Directory,
        ["faq"] = KnowledgeTopic.Faq,
        ["notices"] = KnowledgeTopic.Notices,
        ["holidays"] = KnowledgeTopic.Holidays,
    };

    /// <summary>
    /// Queues the notification in <paramref name="transaction"/>: PostgreSQL delivers it to every listening session when the
    /// transaction commits, and never when it rolls back.
    /// </summary>
    public static async Task NotifyAsync(NpgsqlTransaction transaction, KnowledgeTopic topic, string? id, CancellationToken cancellationToken)
    {
        var payload = Name(topic) + (id is null ? "" : ":" + id);
        // A payload must stay under 8000 bytes; an id that long is not named, the topic alone still says what to drop.
        if (System.Text.Encoding.UTF8.GetByteCount(payload) > 1000)
        {
            payload = Name(topic);
        }

        await using var command = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", ConnectionOf(transaction), transaction);
        command.Parameters.AddWithValue("channel", NotifyChannel);
        command.Parameters.AddWithValue("payload", payload);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The topic a payload names, or null for one this build does not know (a newer instance's).</summary>
    public static KnowledgeTopic? TopicOf(string payload)
    {
        var colon = payload.IndexOf(':', StringComparison.Ordinal);
        return Topics.TryGetValue(colon < 0 ? payload : payload[..colon], out var topic) ? topic : null;
    }

    public static NpgsqlConnection ConnectionOf(NpgsqlTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return transaction.Connection ?? throw new InvalidOperationException("The transaction has already ended.");
    }

    private static string Name(KnowledgeTopic topic) => topic switch
    {
        KnowledgeTopic.Directory => "directory",
        KnowledgeTopic.Faq => "faq",
        KnowledgeTopic.Notices => "notices",
        KnowledgeTopic.Holidays => "holidays",
        _ => throw new ArgumentOutOfRangeException(nameof(topic)),
    };
}
