namespace CommunityBot.Directory;

/// <summary>
/// One line of a grid's duty roster: <see cref="WorkerId"/> is on duty on <see cref="Days"/> from
/// <see cref="Start"/> (inclusive) to <see cref="End"/> (exclusive), in the office's local time. An end before the
/// start runs past midnight (the day is the day the shift starts); an end equal to the start means the whole day.
/// </summary>
public sealed record DutyShift
{
    public required string GridId { get; init; }

    public required string WorkerId { get; init; }

    public List<DayOfWeek> Days { get; init; } = [];

    public TimeOnly Start { get; init; }

    public TimeOnly End { get; init; }

    /// <summary>Whether the shift covers the local time <paramref name="local"/>.</summary>
    public bool Covers(DateTime local)
    {
        var time = TimeOnly.FromDateTime(local);
        if (Start == End)
        {
            return Days.Contains(local.DayOfWeek);
        }
        if (Start < End)
        {
            return Days.Contains(local.DayOfWeek) && time >= Start && time < End;
        }
        // Overnight: the evening part belongs to today's shift, the early-morning part to yesterday's.
        return (Days.Contains(local.DayOfWeek) && time >= Start)
            || (Days.Contains(local.AddDays(-1).DayOfWeek) && time < End);
    }
}
