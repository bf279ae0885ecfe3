using Microsoft.Bot.Builder;
using Newtonsoft.Json.Linq;

namespace CommunityBot.Conversation;

/// <summary>
/// An item read from <see cref="LiteDbStorage"/>: its JSON object's properties (nested objects as <see cref="JObject"/>,
/// plain values as their .NET values) and the ETag it was stored with, which a write of this same object is checked against.
/// </summary>
public sealed class StoredItem : Dictionary<string, object>, IStoreItem
{
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
}
