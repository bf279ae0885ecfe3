using System.Globalization;
using LiteDB;

namespace CommunityBot.Clocks;

/// <summary>A date whose working status differs from Monday–Friday: a public holiday, or a 调休 working weekend.</summary>
public sealed class Holiday
{
    /// <summary>yyyy-MM-dd in the office's time zone; the document id.</summary>
    [BsonId]
    public string Date { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>True for an adjusted working weekend (调休上班); false for a day off.</summary>
    public bool IsWorkday { get; set; }

    public static bool TryParseDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    public static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
