using System.Text.Json;
using System.Text.Json.Serialization;

namespace CommunityBot.Directory;

/// <summary>Reads and writes the directory as JSON (the shape of <see cref="DirectoryData"/>; used for the demo directory).</summary>
public static class DirectoryJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Reads <paramref name="path"/>; throws <see cref="DirectoryFormatException"/> when it is not a directory.</summary>
    public static DirectoryData Read(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<DirectoryData>(stream, Options)
                ?? throw new DirectoryFormatException($"{path}: empty.");
        }
        catch (JsonException ex)
        {
            throw new DirectoryFormatException($"{path}: not a directory file ({ex.Message}).");
        }
    }

    public static string Write(DirectoryData data) => JsonSerializer.Serialize(data, Options);
}
