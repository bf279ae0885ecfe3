using Npgsql;

namespace CommunityBot.Conversation;

/// <summary>
/// More that a resident's turn writes in its own commit, on whichever provider its <see cref="ITurnStore"/> is: a
/// proactive turn settles its request there (<see cref="IProactiveTurnJob"/>). Each store calls its own method; throwing
/// from it fails the turn's commit, keeping nothing of the turn.
/// </summary>
public interface ITurnAlsoCommit
{
    /// <summary>On LiteDB (<see cref="LiteDbTurnStore"/>): inside the turn's one write, on the writer thread.</summary>
    void InLiteDbWrite();

    /// <summary>
    /// On PostgreSQL (<see cref="Storage.Postgres.PostgresTurnStore"/>): in the turn's <paramref name="transaction"/>, after
    /// the turn's own writes, before it commits.
    /// </summary>
    Task InPostgresAsync(NpgsqlTransaction transaction, CancellationToken cancellationToken);
}
