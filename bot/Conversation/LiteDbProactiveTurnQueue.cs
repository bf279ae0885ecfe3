using LiteDB;
using Npgsql;

namespace CommunityBot.Conversation;

/// <summary>
/// <see cref="IProactiveTurnQueue"/> on LiteDB, in one process: the requests of <see cref="ProactiveTurnStore"/>, each
/// resident's oldest pending one taken as it is due; a request is deleted in its turn's LiteDB write.
/// </summary>
public sealed class LiteDbProactiveTurnQueue(ProactiveTurnStore turns, ProcessedMessageLog processed, TimeProvider time) : IProactiveTurnQueue
{
    public Task<IReadOnlyList<IProactiveTurnJob>> TakeDueAsync(IReadOnlySet<ObjectId> skip, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(skip);
        var now = time.GetUtcNow().UtcDateTime;
        IReadOnlyList<IProactiveTurnJob> due = Heads()
            .Where(t => t.DueAt <= now && !skip.Contains(t.Id))
            .Select(t => new Job(turns, processed, t))
            .ToList();
        return Task.FromResult(due);
    }

    public Task<TimeSpan?> UntilNextDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var waiting = Heads().Where(t => t.DueAt > now).Select(t => t.DueAt).ToList();
        return Task.FromResult<TimeSpan?>(waiting.Count == 0 ? null : waiting.Min() - now);
    }

    // The oldest request of each resident is the only one that may run: the next waits for it.
    private List<ProactiveTurn> Heads() =>
        turns.Pending().GroupBy(t => t.ResidentKey, StringComparer.Ordinal).Select(g => g.First()).ToList();

    private sealed class Job(ProactiveTurnStore turns, ProcessedMessageLog processed, ProactiveTurn turn) : IProactiveTurnJob
    {
        public ProactiveTurn Turn => turn;

        public void InLiteDbWrite() => turns.DeleteInWrite(turn.Id);

        public Task InPostgresAsync(NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
            throw new NotSupportedException("A LiteDB proactive turn's request is deleted in a LiteDB write, not in a PostgreSQL transaction.");

        public async Task<bool> DeleteIfRanAsync(string messageKey, CancellationToken cancellationToken)
        {
            if (!processed.Contains(messageKey))
            {
                return false;
            }

            await turns.DeleteAsync(turn.Id).ConfigureAwait(false);
            return true;
        }

        public async Task<bool> MarkFailedAttemptAsync(string error, CancellationToken cancellationToken)
        {
            await turns.MarkFailedAttemptAsync(turn, error).ConfigureAwait(false);
            return true;
        }
    }
}
