using System.Globalization;

namespace CommunityBot.Clocks;

/// <summary>One stretch of office hours within a working day, e.g. 08:30–12:00.</summary>
public readonly record struct OfficePeriod(TimeOnly Start, TimeOnly End)
{
    /// <summary>Parses "08:30-12:00,13:30-17:30"; false on anything else.</summary>
    public static bool TryParseList(string text, out IReadOnlyList<OfficePeriod> periods)
    {
        var list = new List<OfficePeriod>();
        periods = list;
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var ends = part.Split('-', StringSplitOptions.TrimEntries);
            if (ends.Length != 2
                || !TimeOnly.TryParseExact(ends[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
                || !TimeOnly.TryParseExact(ends[1], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end)
                || end <= start || (list.Count > 0 && start < list[^1].End))
            {
                return false;
            }

            list.Add(new OfficePeriod(start, end));
        }

        return list.Count > 0;
    }
}
