using CommunityBot.Conversation;

namespace CommunityBot.Storage.Postgres;

/// <summary>A proactive turn's request as <see cref="PostgresProactiveTurnStore"/> lists it, with its lease.</summary>
/// <param name="ClaimedBy">The instance whose lease it is under, if any (it may have run out).</param>
public sealed record PostgresProactiveTurnEntry(ProactiveTurn Turn, string? ClaimedBy, DateTime? ClaimedUntil);
