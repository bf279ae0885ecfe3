namespace CommunityBot.Media;

/// <summary>How a ticket names a re-hosted photo in its photo lists: <c>media:{id}</c>.</summary>
public static class MediaRef
{
    public const string Prefix = "media:";

    public static string Of(string id) => Prefix + id;

    /// <summary>The media id in <paramref name="photo"/>, or null when it is an address (older tickets, the console, Open311).</summary>
    public static string? IdOf(string photo) =>
        photo.StartsWith(Prefix, StringComparison.Ordinal) && photo.Length > Prefix.Length ? photo[Prefix.Length..] : null;
}
