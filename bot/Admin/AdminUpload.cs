using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace CommunityBot.Admin;

/// <summary>
/// An uploaded file checked for size and type and copied to a temporary file (the workbook readers take a path);
/// dispose it to delete the copy.
/// </summary>
public sealed class AdminUpload : IDisposable
{
    public const long MaxBytes = 5 * 1024 * 1024;

    /// <summary>The largest request an upload endpoint reads: the file's limit plus room for the multipart envelope and the form's other fields.</summary>
    public const long MaxRequestBytes = MaxBytes + 64 * 1024;

    /// <summary>The request size limit an upload endpoint carries (<c>.WithMetadata(AdminUpload.Limit)</c>).</summary>
    public static RequestSizeLimitAttribute Limit => new(MaxRequestBytes);

    private AdminUpload(string path, string fileName)
    {
        Path = path;
        FileName = fileName;
    }

    /// <summary>The temporary copy, with the uploaded file's extension.</summary>
    public string Path { get; }

    public string FileName { get; }

    /// <summary>Copies the form's <c>file</c>; on bad input returns null and a Chinese <paramref name="error"/>.</summary>
    public static async Task<(AdminUpload? Upload, string? Error)> ReadAsync(IFormCollection form, IReadOnlyCollection<string> extensions, CancellationToken cancellationToken)
    {
        var file = form.Files.GetFile("file");
        var allowed = string.Join(" 或 ", extensions);
        if (file is null || file.Length == 0)
        {
            return (null, $"请选择要上传的文件（{allowed}）。");
        }

        if (file.Length > MaxBytes)
        {
            return (null, TooLarge(file.Length));
        }

        var extension = System.IO.Path.GetExtension(file.FileName).ToLowerInvariant();
        if (!extensions.Contains(extension))
        {
            return (null, $"文件类型不对：请上传 {allowed} 文件。");
        }

        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "communitybot-upload-" + Guid.NewGuid().ToString("N") + extension);
        await using (var target = File.Create(path))
        {
            await file.CopyToAsync(target, cancellationToken);
        }

        return (new AdminUpload(path, System.IO.Path.GetFileName(file.FileName)), null);
    }

    /// <summary>
    /// Middleware, before antiforgery (which reads the whole form): a request to an upload endpoint that says it is
    /// larger than the endpoint's limit gets the Chinese error at once, without its body being read; a body without a
    /// length (chunked) is cut off by the server at the limit.
    /// </summary>
    public static async Task RefuseOversizedAsync(HttpContext http, RequestDelegate next)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is { MaxRequestBodySize: { } limit })
        {
            if (http.Request.ContentLength > limit)
            {
                await AdminLayout.Page(http, "文件太大", Html.Of($"""
                    {AdminLayout.Message(TooLarge(http.Request.ContentLength.Value), error: true)}
                    <p><a href="{http.Request.Path.Value}">返回，重新选择文件</a></p>
                    """), StatusCodes.Status413PayloadTooLarge).ExecuteAsync(http);
                return;
            }

            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = limit;
            }
        }

        await next(http);
    }

    private static string TooLarge(long bytes) => $"文件太大（{bytes / 1024.0 / 1024.0:0.0} MB），上限为 {MaxBytes / 1024 / 1024} MB。";

    public void Dispose() => File.Delete(Path);
}
