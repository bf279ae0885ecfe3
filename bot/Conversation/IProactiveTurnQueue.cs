using LiteDB;

namespace CommunityBot.Conversation;

/// <summary>
/// The proactive turns' requests as <see cref="ProactiveTurnRunner"/> works through them, on either provider:
/// <see cref="LiteDbProactiveTurnQueue"/> (one process) and <see cref="Storage.Postgres.PostgresProactiveTurnQueue"/>
/// (several instances, by leases).
/// </summary>
public interface IProactiveTurnQueue
{
    /// <summary>
    /// The requests to run now: of each resident, the oldest pending request, when it is due and not in
    /// <paramref name="skip"/> (tried in this round already). On PostgreSQL only those no other instance holds, each now
    /// leased to this one.
    /// </summary>
    Task<IReadOnlyList<IProactiveTurnJob>> TakeDueAsync(IReadOnlySet<ObjectId> skip, CancellationToken cancellationToken);

    /// <summary>How long until the next resident's oldest request is due (its back-off ends); null when none waits.</summary>
    Task<TimeSpan?> UntilNextDueAsync(CancellationToken cancellationToken);
}
