namespace CommunityBot.Media;

/// <summary>A channel's way of proving to its own media host that the bot may read a photo (e.g. Teams' bearer token).</summary>
public interface IMediaCredentials
{
    /// <summary>True when this channel's credentials go with <paramref name="item"/>.</summary>
    bool Handles(MediaItem item);

    /// <summary>Adds the credentials to <paramref name="request"/> when its host may receive them; leaves it anonymous otherwise.</summary>
    Task AuthorizeAsync(HttpRequestMessage request, MediaItem item, CancellationToken cancellationToken);
}
