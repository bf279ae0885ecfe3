namespace CommunityBot.Media;

/// <summary>A fetched image, or why there is none (said in English for the log; no address in it).</summary>
/// <param name="Retry">True when another attempt may succeed (the host was unreachable, slow or answered with an error);
/// false when this server refused the photo (not a web address, a private address, too large, not an image).</param>
public sealed record MediaFetchResult(byte[]? Bytes, string? ContentType, string? Failure, bool Retry = false)
{
    public static MediaFetchResult Refused(string failure) => new(null, null, failure);

    public static MediaFetchResult Unavailable(string failure) => new(null, null, failure, Retry: true);

    public static MediaFetchResult Image(byte[] bytes, string contentType) => new(bytes, contentType, null);
}
