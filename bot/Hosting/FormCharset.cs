using Microsoft.Net.Http.Headers;

namespace CommunityBot.Hosting;

/// <summary>
/// Form bodies are read as UTF-8 only, which is what browsers and HTTP clients send. ASP.NET Core's form reader
/// honours the charset a client names and throws <see cref="NotSupportedException"/> on <c>charset=utf-7</c>, an
/// unhandled 500; any other charset would be read wrongly or not at all.
/// </summary>
public static class FormCharset
{
    /// <summary>True when the content type names no charset, UTF-8 or US-ASCII (a subset of it).</summary>
    public static bool IsUtf8(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || type.Charset.Length == 0)
        {
            return true;
        }

        var charset = type.Charset.Value!.Trim('"', ' ');
        return string.Equals(charset, "utf-8", StringComparison.OrdinalIgnoreCase)
            || string.Equals(charset, "utf8", StringComparison.OrdinalIgnoreCase)
            || string.Equals(charset, "us-ascii", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Middleware: a form body in another charset is answered 415 with a problem, before anything reads it.</summary>
    public static Task RefuseOthersAsync(HttpContext context, RequestDelegate next)
    {
        if (!context.Request.HasFormContentType || IsUtf8(context.Request))
        {
            return next(context);
        }

        return Results.Problem(
            statusCode: StatusCodes.Status415UnsupportedMediaType,
            title: "Unsupported form charset",
            detail: "表单须为 UTF-8 编码。Form bodies must be UTF-8 (send no charset, or charset=utf-8).").ExecuteAsync(context);
    }
}
