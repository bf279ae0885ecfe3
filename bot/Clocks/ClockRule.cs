using System.Globalization;
using System.Text.RegularExpressions;

namespace CommunityBot.Clocks;

/// <summary>
/// How long a clock runs: wall-clock time ("00:30:00", "1.00:00:00") or office time ("2 working hours",
/// "3 working days"; a working day is one day's office hours).
/// </summary>
public readonly partial record struct ClockRule(TimeSpan Length, ClockUnit Unit)
{
    public bool IsWorkingTime => Unit != ClockUnit.Wall;

    /// <summary>The length as the clock counts it: wall time, or office time on <paramref name="calendar"/>.</summary>
    public TimeSpan Duration(WorkingCalendar calendar) =>
        Unit == ClockUnit.WorkingDays ? calendar.WorkingDay * Length.TotalDays : Length;

    public static bool TryParse(string? text, out ClockRule rule)
    {
        rule = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var working = WorkingPattern().Match(text.Trim());
        if (working.Success)
        {
            var amount = double.Parse(working.Groups[1].Value, CultureInfo.InvariantCulture);
            rule = working.Groups[2].Value.StartsWith("day", StringComparison.Ordinal)
                ? new ClockRule(TimeSpan.FromDays(amount), ClockUnit.WorkingDays)
                : new ClockRule(TimeSpan.FromHours(amount), ClockUnit.WorkingHours);
            return amount > 0;
        }

        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var wall) && wall > TimeSpan.Zero)
        {
            rule = new ClockRule(wall, ClockUnit.Wall);
            return true;
        }

        return false;
    }

    public static ClockRule Parse(string text) =>
        TryParse(text, out var rule) ? rule : throw new FormatException($"\"{text}\" is not a clock length (e.g. \"00:30:00\", \"2 working hours\", \"3 working days\").");

    /// <summary>What a resident or worker reads, e.g. "30分钟", "24小时", "3个工作日".</summary>
    public string Chinese() => Unit switch
    {
        ClockUnit.WorkingDays => $"{Length.TotalDays:0.#}个工作日",
        ClockUnit.WorkingHours => $"{Length.TotalHours:0.#}个工作小时",
        _ when Length.TotalMinutes < 60 => $"{Length.TotalMinutes:0}分钟",
        _ => $"{Length.TotalHours:0.#}小时",
    };

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*working\s+(days?|hours?)$")]
    private static partial Regex WorkingPattern();
}

/// <summary>Whether a clock counts wall time or office time.</summary>
public enum ClockUnit
{
    Wall,
    WorkingHours,
    WorkingDays,
}
