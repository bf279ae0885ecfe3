using CommunityBot.Notifications;

namespace CommunityBot.Storage.Postgres;

/// <summary>An outbox entry as <see cref="PostgresOutbox"/> lists it (staff pages, broadcast counts, health).</summary>
/// <param name="Id">The entry's row (its place in the conversation's order).</param>
/// <param name="Message">The entry; its <see cref="OutboxMessage.Id"/> is not the row's and means nothing here.</param>
/// <param name="ClaimedBy">The instance whose lease it is under, if any (it may have run out).</param>
public sealed record PostgresOutboxEntry(long Id, OutboxMessage Message, string? ClaimedBy, DateTime? ClaimedUntil);
