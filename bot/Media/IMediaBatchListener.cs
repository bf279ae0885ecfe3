namespace CommunityBot.Media;

/// <summary>
/// Hears how a batch of photos (one report's, one 办结's) ended, inside the write that settles its last photo: what it
/// writes there (the message that shows the photos, or says they could not be kept) is kept or lost with the outcome.
/// Runs on the store's writer thread: no waiting, no I/O but the store's.
/// </summary>
public interface IMediaBatchListener
{
    void BatchSettled(IReadOnlyList<MediaItem> batch);
}
