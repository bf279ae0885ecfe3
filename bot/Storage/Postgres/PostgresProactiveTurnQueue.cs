using CommunityBot.Conversation;
using CommunityBot.Notifications;
using LiteDB;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CommunityBot.Storage.Postgres;

/// <summary>
/// <see cref="IProactiveTurnQueue"/> on PostgreSQL, one per instance: work is taken only by claims
/// (<see cref="PostgresProactiveTurnStore.ClaimAsync"/>), a lease of <see cref="OutboxOptions.Lease"/> on the head of each of
/// up to <see cref="OutboxOptions.MaxParallelConversations"/> residents, so a resident's requests run on one instance at a
/// time and in order. A job's request is deleted in its turn's transaction only while the lease is still this instance's;
/// once another instance has taken it over (the lease ran out), the turn's commit fails with
/// <see cref="ProactiveTurnTakenOverException"/> and keeps nothing, so the resident is answered once, by the other.
/// </summary>
public sealed class PostgresProactiveTurnQueue(
    PostgresProactiveTurnStore turns, PostgresProcessedMessageLog processed, TimeProvider time, IOptions<OutboxOptions> options, string instanceId)
    : IProactiveTurnQueue
{
    private readonly OutboxOptions _options = options.Value;

    /// <summary>The name this instance's leases carry.</summary>
    public string InstanceId { get; } = instanceId;

    public async Task<IReadOnlyList<IProactiveTurnJob>> TakeDueAsync(IReadOnlySet<ObjectId> skip, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(skip);
        var claims = await turns.ClaimAsync(InstanceId, _options.MaxParallelConversations, _options.Lease, cancellationToken).ConfigureAwait(false);
        var jobs = new List<IProactiveTurnJob>(claims.Count);
        foreach (var claim in claims)
        {
            if (skip.Contains(claim.Turn.Id))
            {
                // Tried in this round already (its failure could not be recorded): handed back for a later round.
                await turns.ReleaseAsync(claim, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            jobs.Add(new Job(turns, processed, claim));
        }

        return jobs;
    }

    public async Task<TimeSpan?> UntilNextDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var waiting = (await turns.PendingAsync(cancellationToken).ConfigureAwait(false))
            .GroupBy(e => e.Turn.ResidentKey, StringComparer.Ordinal)
            .Select(g => g.First().Turn.DueAt)
            .Where(due => due > now)
            .ToList();
        return waiting.Count == 0 ? null : waiting.Min() - now;
    }

    private sealed class Job(PostgresProactiveTurnStore turns, PostgresProcessedMessageLog processed, ProactiveTurnClaim claim) : IProactiveTurnJob
    {
        public ProactiveTurn Turn => claim.Turn;

        public void InLiteDbWrite() =>
            throw new NotSupportedException("A PostgreSQL proactive turn's request is deleted in its turn's PostgreSQL transaction, not in a LiteDB write.");

        public async Task InPostgresAsync(NpgsqlTransaction transaction, CancellationToken cancellationToken)
        {
            if (!await turns.DeleteAsync(claim, transaction, cancellationToken).ConfigureAwait(false))
            {
                throw new ProactiveTurnTakenOverException(claim.Turn.Id.ToString());
            }
        }

        public async Task<bool> DeleteIfRanAsync(string messageKey, CancellationToken cancellationToken) =>
            await processed.ContainsAsync(messageKey, cancellationToken).ConfigureAwait(false)
            && await turns.DeleteAsync(claim, cancellationToken).ConfigureAwait(false);

        public Task<bool> MarkFailedAttemptAsync(string error, CancellationToken cancellationToken) =>
            turns.MarkFailedAttemptAsync(claim, error, cancellationToken);
    }
}
