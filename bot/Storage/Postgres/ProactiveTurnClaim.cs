using CommunityBot.Conversation;

namespace CommunityBot.Storage.Postgres;

/// <summary>
/// A proactive turn's request leased to one instance by <see cref="PostgresProactiveTurnStore.ClaimAsync"/>: that instance
/// runs the turn and then deletes, backs off or releases the request with this claim. <see cref="ClaimedBy"/> and
/// <see cref="ClaimedUntil"/> (as stored) name the lease; once another instance has claimed the request after it ran out,
/// this claim changes nothing.
/// </summary>
/// <param name="Turn">The request as it was when claimed.</param>
public sealed record ProactiveTurnClaim(ProactiveTurn Turn, string ClaimedBy, DateTime ClaimedUntil);
