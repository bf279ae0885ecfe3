namespace CommunityBot.Media;

/// <summary><c>GET /media/{id}?exp=…&amp;sig=…</c>: a stored photo, to whoever holds a valid signed link.</summary>
public static class MediaEndpoints
{
    public static IEndpointRouteBuilder MapMediaEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/media/{id}", (string id, string? exp, string? sig, HttpContext http, MediaStore store, MediaSigner signer, TimeProvider time) =>
        {
            http.Response.Headers.XContentTypeOptions = "nosniff";
            if (id.Length != 32 || !id.All(char.IsAsciiHexDigitLower) || !signer.Verify(id, exp, sig, time.GetUtcNow()))
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }

            if (store.Find(id) is not { } item || store.FileOf(item) is not { } path || item.ContentType is not { } type)
            {
                return Results.NotFound();
            }

            http.Response.Headers.CacheControl = "private, max-age=3600";
            return Results.File(path, type);
        }).ExcludeFromDescription();
        return app;
    }
}
