namespace CommunityBot.Clocks;

/// <summary>
/// Office hours in the office's time zone, weekends, holidays and 调休 working weekends, and the arithmetic the
/// ticket clocks need. Pure: it reads no clock and no store.
/// </summary>
public sealed class WorkingCalendar
{
    // A deadline further away than this is a configuration error (e.g. no office hours at all), not a date to compute.
    private const int MaxDays = 3 * 366;

    private readonly TimeZoneInfo _zone;
    private readonly IReadOnlyList<OfficePeriod> _periods;
    private readonly IReadOnlyDictionary<DateOnly, bool> _overrides;

    /// <param name="zone">The office's time zone.</param>
    /// <param name="periods">Office hours of a working day, in order and not overlapping (e.g. 08:30–12:00, 13:30–17:30).</param>
    /// <param name="overrides">Dates whose working status differs from Monday–Friday: holidays (false) and 调休 weekends (true).</param>
    public WorkingCalendar(TimeZoneInfo zone, IReadOnlyList<OfficePeriod> periods, IReadOnlyDictionary<DateOnly, bool> overrides)
    {
        if (periods.Count == 0 || periods.Any(p => p.End <= p.Start) || periods.Zip(periods.Skip(1)).Any(pair => pair.Second.Start < pair.First.End))
        {
            throw new ArgumentException("Office hours must be at least one period, in order, each ending after it starts.", nameof(periods));
        }

        _zone = zone;
        _periods = periods;
        _overrides = overrides;
        WorkingDay = periods.Aggregate(TimeSpan.Zero, (sum, p) => sum + (p.End - p.Start));
    }

    /// <summary>The length of one working day's office hours (7.5 hours for 08:30–12:00 and 13:30–17:30).</summary>
    public TimeSpan WorkingDay { get; }

    public bool IsWorkingDay(DateOnly date) =>
        _overrides.TryGetValue(date, out var working) ? working : date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary>The moment <paramref name="duration"/> of office time after <paramref name="start"/> (in the office's offset).</summary>
    public DateTimeOffset AddWorkingTime(DateTimeOffset start, TimeSpan duration)
    {
        var cursor = TimeZoneInfo.ConvertTime(start, _zone);
        if (duration <= TimeSpan.Zero)
        {
            return cursor;
        }

        var remaining = duration;
        var first = DateOnly.FromDateTime(cursor.DateTime);
        for (var day = first; day.DayNumber - first.DayNumber <= MaxDays; day = day.AddDays(1))
        {
            if (!IsWorkingDay(day))
            {
                continue;
            }

            foreach (var period in _periods)
            {
                var (from, to) = (At(day, period.Start), At(day, period.End));
                if (to <= cursor)
                {
                    continue;
                }

                var begin = from > cursor ? from : cursor;
                if (remaining <= to - begin)
                {
                    return begin + remaining;
                }

                remaining -= to - begin;
            }
        }

        throw new InvalidOperationException($"No {duration} of office time within {MaxDays} days of {start:u}: check the calendar.");
    }

    /// <summary>Office time between two moments (zero when <paramref name="to"/> is not after <paramref name="from"/>).</summary>
    public TimeSpan WorkingTimeBetween(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            return TimeSpan.Zero;
        }

        var total = TimeSpan.Zero;
        var first = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, _zone).DateTime);
        var last = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(to, _zone).DateTime);
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            if (!IsWorkingDay(day))
            {
                continue;
            }

            foreach (var period in _periods)
            {
                var begin = Max(At(day, period.Start), from);
                var end = Min(At(day, period.End), to);
                if (end > begin)
                {
                    total += end - begin;
                }
            }
        }

        return total;
    }

    private DateTimeOffset At(DateOnly day, TimeOnly time)
    {
        var local = day.ToDateTime(time);
        return new DateTimeOffset(local, _zone.GetUtcOffset(local));
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
