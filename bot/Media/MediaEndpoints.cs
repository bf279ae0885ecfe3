using Microsoft.Net.Http.Headers;

namespace CommunityBot.Media;

/// <summary>
/// <c>GET /media/{id}?exp=…&amp;sig=…</c>: a stored photo, to whoever holds a valid signed link (a chat message, a console
/// page). A bad or expired signature is a 403 and an unknown photo a 404, both without a body; what is served is always
/// one of the four image types, checked again on the file's own bytes, never sniffed, shown inline, never run.
/// </summary>
public static partial class MediaEndpoints
{
    /// <summary>Longest a browser or proxy keeps a copy: the photo never changes, but its link expires.</summary>
    public static readonly TimeSpan MaxCacheAge = TimeSpan.FromDays(1);

    private const string LoggerCategory = "CommunityBot.Media.MediaEndpoints";

    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder app)
    {
        app.MapGet(MediaLinks.RoutePrefix + "{id}", Get).ExcludeFromDescription();
        return app;
    }

    private static IResult Get(string id, string? exp, string? sig, HttpContext http, MediaStore store, MediaSigner signer, TimeProvider time, ILoggerFactory loggers)
    {
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        var now = time.GetUtcNow();
        if (!MediaStore.IsId(id) || !signer.Verify(id, exp, sig, now))
        {
            headers.CacheControl = "no-store";
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        if (store.Find(id) is not { } item || store.FileOf(item) is not { } path || item.ContentType is not { } type)
        {
            headers.CacheControl = "no-store";
            return Results.StatusCode(StatusCodes.Status404NotFound);
        }

        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        Span<byte> head = stackalloc byte[12];
        var read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (MediaContent.ImageType(head[..read]) != type)
        {
            // Only images are ever stored; a file that is none now was changed on disk, and is not served.
            file.Dispose();
            LogNotAnImage(loggers.CreateLogger(LoggerCategory), id);
            headers.CacheControl = "no-store";
            return Results.StatusCode(StatusCodes.Status404NotFound);
        }

        file.Position = 0;
        var left = TimeSpan.FromSeconds(long.Parse(exp!, System.Globalization.CultureInfo.InvariantCulture) - now.ToUnixTimeSeconds());
        var maxAge = (long)(left < MaxCacheAge ? left : MaxCacheAge).TotalSeconds;
        headers.CacheControl = $"private, max-age={maxAge}";
        headers.ContentDisposition = "inline";
        return Results.File(file, type, entityTag: new EntityTagHeaderValue("\"" + item.Sha256 + "\""));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Photo {MediaId} is stored as an image but its file is none; not served")]
    private static partial void LogNotAnImage(ILogger logger, string mediaId);
}
