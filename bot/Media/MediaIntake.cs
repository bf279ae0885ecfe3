namespace CommunityBot.Media;

/// <summary>
/// What the ticket desk needs of media re-hosting: photos in (a batch of pending records per report or 办结), links out
/// (the signed link of a stored photo, for the message that shows it).
/// </summary>
public sealed class MediaIntake(MediaStore store, MediaLinks links)
{
    /// <summary>
    /// Pending records for <paramref name="sources"/> (the channel's addresses, each once) as sent on
    /// <paramref name="channel"/>; <paramref name="notifyOnFailure"/> is who hears when they cannot be kept (JSON of a
    /// conversation reference), if anyone in particular.
    /// </summary>
    public MediaBatch Take(
        IEnumerable<string> sources, string channel, string? serviceUrl, MediaPurpose purpose, DateTimeOffset at, string? notifyOnFailure = null)
    {
        var batch = MediaStore.NewId();
        var items = sources.Distinct(StringComparer.Ordinal)
            .Select(source => MediaStore.Pending(source, channel, serviceUrl, batch, purpose, at, notifyOnFailure))
            .ToList();
        return new MediaBatch(store, items);
    }

    /// <summary>The absolute signed link of a stored photo.</summary>
    public string LinkFor(MediaItem item) => links.LinkFor(item);
}
