namespace CommunityBot.Dialogs.Conversation;

/// <summary>A picture sent by its address: the channel shows it (or links to it) beside the message text.</summary>
/// <param name="ContentType">A media type such as <c>image/jpeg</c>, or <c>image</c> when only the kind is known.</param>
/// <param name="Url">An absolute http(s) address; nothing else is ever kept or sent (see <see cref="IsWebUrl"/>).</param>
public sealed record OutboundAttachment(string ContentType, string Url, string? Name = null)
{
    /// <summary>The image content type Bot Framework channels expect when only "an image" is known.</summary>
    public const string DefaultImageType = "image/jpeg";

    /// <summary>True for an absolute http or https address: the only kind a photo may have on its way to anyone.</summary>
    public static bool IsWebUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && uri.Host.Length > 0;

    /// <summary>A photo for <paramref name="url"/>, or null when it is no http(s) address.</summary>
    public static OutboundAttachment? Photo(string url, string? contentType = null) =>
        IsWebUrl(url) ? new OutboundAttachment(ImageType(contentType), url) : null;

    private static string ImageType(string? contentType) =>
        contentType is { } type && type.StartsWith("image/", StringComparison.OrdinalIgnoreCase) ? type : DefaultImageType;
}
