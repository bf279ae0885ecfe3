namespace CommunityBot.Media;

/// <summary>
/// A channel's way into the photos it hosts: proving to its media host that the bot may read one (Teams' bearer token),
/// and reading what comes back (the WeCom robot's files are encrypted with the callback key).
/// </summary>
public interface IMediaCredentials
{
    /// <summary>True when this channel's credentials go with <paramref name="item"/>.</summary>
    bool Handles(MediaItem item);

    /// <summary>Adds the credentials to <paramref name="request"/> when its host may receive them; leaves it anonymous otherwise.</summary>
    Task AuthorizeAsync(HttpRequestMessage request, MediaItem item, CancellationToken cancellationToken);

    /// <summary>The photo in the downloaded <paramref name="body"/> (the body itself unless the channel encodes it); null when it cannot be read.</summary>
    byte[]? Decode(MediaItem item, byte[] body) => body;
}
