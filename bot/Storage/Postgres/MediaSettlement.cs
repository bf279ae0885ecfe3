using CommunityBot.Media;

namespace CommunityBot.Storage.Postgres;

/// <summary>
/// A photo stored or given up by <see cref="PostgresMediaStore"/>, and, when that settled the last pending photo of its batch,
/// the whole batch in recorded order (what <see cref="IMediaBatchListener"/> hears of, written in the same transaction).
/// </summary>
public sealed record MediaSettlement(MediaItem Item, IReadOnlyList<MediaItem>? Batch);
