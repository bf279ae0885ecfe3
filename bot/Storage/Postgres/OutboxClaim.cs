using CommunityBot.Notifications;

namespace CommunityBot.Storage.Postgres;

/// <summary>
/// An outbox entry leased to one instance by <see cref="PostgresOutbox.ClaimAsync"/>: that instance delivers it and then
/// completes, retries or fails it with this claim. <see cref="ClaimedBy"/> and <see cref="ClaimedUntil"/> (as stored) name the
/// lease; once another instance has claimed the entry after it ran out, this claim changes nothing.
/// </summary>
/// <param name="Id">The entry's row (its place in the conversation's order).</param>
/// <param name="Message">The entry as it was when claimed; its <see cref="OutboxMessage.Id"/> is not the row's and means nothing here.</param>
public sealed record OutboxClaim(long Id, OutboxMessage Message, string ClaimedBy, DateTime ClaimedUntil);
