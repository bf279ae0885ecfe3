using CommunityBot.Media;

namespace CommunityBot.Storage.Postgres;

/// <summary>
/// A pending photo leased to one instance by <see cref="PostgresMediaStore.ClaimDueAsync"/>: that instance fetches it and then
/// stores, retries or fails it with this claim. <see cref="ClaimedBy"/> and <see cref="ClaimedUntil"/> (as stored) name the
/// lease; once another instance has claimed the photo after the lease ran out, this claim changes nothing.
/// </summary>
/// <param name="Item">The photo as it was when claimed; the fetcher counts its attempt on it.</param>
public sealed record MediaClaim(MediaItem Item, string ClaimedBy, DateTime ClaimedUntil);
