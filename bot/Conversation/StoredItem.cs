using Microsoft.Bot.Builder;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using JsonSerializer = Newtonsoft.Json.JsonSerializer;

namespace CommunityBot.Conversation;

/// <summary>
/// An item read from a state storage (<see cref="LiteDbStorage"/>, <see cref="Storage.Postgres.PostgresStorage"/>): its JSON
/// object's properties (nested objects as <see cref="JObject"/>, plain values as their .NET values) and the ETag it was
/// stored with, which a write of this same object is checked against.
/// </summary>
public sealed class StoredItem : Dictionary<string, object>, IStoreItem
{
    /// <summary>The key under which the ETag travels in a JSON object, as the SDK storages spell it.</summary>
    public const string ETagProperty = "eTag";

    private static readonly JsonSerializer Serializer = JsonSerializer.Create(new JsonSerializerSettings
    {
        TypeNameHandling = TypeNameHandling.None,
        NullValueHandling = NullValueHandling.Include,
        MaxDepth = 64,
    });

    public StoredItem()
        : base(StringComparer.Ordinal)
    {
    }

    public string? ETag { get; set; }

    internal static StoredItem Parse(string json, string? eTag)
    {
        var item = new StoredItem { ETag = eTag };
        var token = JToken.Parse(json);
        if (token is JObject properties)
        {
            foreach (var (name, value) in properties)
            {
                item[name] = value is JValue plain ? plain.Value! : value!;
            }
        }
        else
        {
            item["value"] = token;
        }

        return item;
    }

    /// <summary>The JSON a storage keeps for <paramref name="value"/>: no type names, and no ETag inside.</summary>
    internal static string ToJson(object value)
    {
        var token = JToken.FromObject(value, Serializer);
        if (token is JObject json)
        {
            // The ETag is kept beside the item, never inside it (a stale copy inside would be read back as current).
            json.Remove(ETagProperty);
            json.Remove("ETag");
        }

        return token.ToString(Formatting.None);
    }

    // Unique across restarts and processes (a counter would restart at 0 and could meet an ETag still held by a reader).
    internal static string NewETag() => Guid.NewGuid().ToString("N");
}
