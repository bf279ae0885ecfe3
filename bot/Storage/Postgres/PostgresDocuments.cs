using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace CommunityBot.Storage.Postgres;

/// <summary>
/// How the PostgreSQL stores write a document column (a ticket, a ticket's timers): enums by name, every time as a UTC
/// instant, and only the properties with a setter.
/// </summary>
internal static class PostgresDocuments
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        Converters = { new JsonStringEnumConverter(), new UtcDateTimeConverter() },
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { StoredPropertiesOnly } },
    };

    // timestamptz takes UTC only; as on LiteDB, a time of another kind is read as local time.
    public static DateTime ToUtc(DateTime value) => value.Kind == DateTimeKind.Utc ? value : value.ToUniversalTime();

    // What the document keeps: the properties with a setter. The computed ones (PublicLocation, IsOpen, CurrentLevel,
    // TicketReporter.Key …) are derived again when it is read.
    private static void StoredPropertiesOnly(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        for (var i = info.Properties.Count - 1; i >= 0; i--)
        {
            if (info.Properties[i].Set is null)
            {
                info.Properties.RemoveAt(i);
            }
        }
    }

    /// <summary>Times in the document are UTC instants, so every time reads back as UTC whatever kind it was written with.</summary>
    private sealed class UtcDateTimeConverter : JsonConverter<DateTime>
    {
        public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ToUtc(reader.GetDateTime());

        public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) => writer.WriteStringValue(ToUtc(value));
    }
}
