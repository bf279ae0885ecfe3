namespace CommunityBot.Media;

/// <summary>A fetched image, or why there is none (said in English for the log; no address in it).</summary>
public sealed record MediaFetchResult(byte[]? Bytes, string? ContentType, string? Failure)
{
    public static MediaFetchResult Refused(string failure) => new(null, null, failure);
}
