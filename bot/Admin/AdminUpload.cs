namespace CommunityBot.Admin;

/// <summary>
/// An uploaded file checked for size and type and copied to a temporary file (the workbook readers take a path);
/// dispose it to delete the copy.
/// </summary>
public sealed class AdminUpload : IDisposable
{
    public const long MaxBytes = 5 * 1024 * 1024;

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
            return (null, $"文件太大（{file.Length / 1024.0 / 1024.0:0.0} MB），上限为 {MaxBytes / 1024 / 1024} MB。");
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

    public void Dispose() => File.Delete(Path);
}
