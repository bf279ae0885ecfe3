namespace CommunityBot.Conversation;

/// <summary>
/// A request <see cref="IProactiveTurnQueue.TakeDueAsync"/> handed to the runner. Its turn runs with the job as its
/// <see cref="ITurnAlsoCommit"/>, which deletes the request in the turn's own commit (on PostgreSQL only while the lease
/// is still this instance's: otherwise the commit fails and keeps nothing).
/// </summary>
public interface IProactiveTurnJob : ITurnAlsoCommit
{
    /// <summary>The request as it was taken.</summary>
    ProactiveTurn Turn { get; }

    /// <summary>
    /// Deletes the request if its turn was committed before (<paramref name="messageKey"/> is processed: the request came
    /// back after it ran); true then.
    /// </summary>
    Task<bool> DeleteIfRanAsync(string messageKey, CancellationToken cancellationToken);

    /// <summary>
    /// Counts a failed run: retried after a back-off, or given up on at the last attempt. False, changing nothing, when the
    /// request is no longer this runner's to change (on PostgreSQL: another instance took it over).
    /// </summary>
    Task<bool> MarkFailedAttemptAsync(string error, CancellationToken cancellationToken);
}
