using System.Security.Cryptography;
using System.Text.Json;

namespace CommunityBot.Backup;

/// <summary>
/// <c>DATA_DIR/server.json</c>: how a command-line verb reaches the server that holds the data directory — a loopback URL
/// and a random token for the server's operations endpoints (<see cref="BackupEndpoints"/>). Written when the server has
/// started (readable by its own user only), removed when it stops. Whoever can read it can read the store file anyway.
/// </summary>
public sealed record ServerControlFile(string? Url, string Token, int ProcessId)
{
    public const string FileName = "server.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string PathIn(string dataDir) => System.IO.Path.Combine(System.IO.Path.GetFullPath(dataDir), FileName);

    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public void Write(string dataDir)
    {
        var path = PathIn(dataDir);
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        {
            JsonSerializer.Serialize(stream, this, Json);
        }

        File.Move(temp, path, overwrite: true);
    }

    public static ServerControlFile? Read(string dataDir)
    {
        try
        {
            return JsonSerializer.Deserialize<ServerControlFile>(File.ReadAllText(PathIn(dataDir)), Json);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Removes the file if it is still this process's (a second server refused the directory must not remove the first's).</summary>
    public static void Remove(string dataDir, string token)
    {
        if (Read(dataDir) is { } current && current.Token == token)
        {
            File.Delete(PathIn(dataDir));
        }
    }
}
