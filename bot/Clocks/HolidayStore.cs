using CommunityBot.Storage;
using LiteDB;

namespace CommunityBot.Clocks;

/// <summary>
/// The office's holiday calendar in the <c>holidays</c> collection. Edited rarely (the <c>calendar</c> verb, against a
/// stopped server), so writes go straight to LiteDB rather than through the hot-path writer.
/// </summary>
public sealed class HolidayStore : IHolidayCalendar
{
    private readonly ILiteCollection<Holiday> _holidays;
    private int _version;

    public HolidayStore(ILiteDatabase database)
    {
        _holidays = LiteDbCollections.Open<Holiday>(database, "holidays");
    }

    /// <summary>Changes whenever this process edits the calendar (callers cache on it).</summary>
    public long Version => Volatile.Read(ref _version);

    public IReadOnlyList<Holiday> All() => _holidays.FindAll().OrderBy(h => h.Date, StringComparer.Ordinal).ToList();

    public void Put(Holiday holiday)
    {
        _holidays.Upsert(holiday);
        Interlocked.Increment(ref _version);
    }

    public bool Remove(DateOnly date)
    {
        var removed = _holidays.Delete(Holiday.Format(date));
        Interlocked.Increment(ref _version);
        return removed;
    }

    /// <summary>Writes the configured defaults into an empty calendar; returns how many days were written.</summary>
    public int SeedIfEmpty(IEnumerable<HolidaySeed> seeds)
    {
        if (_holidays.Count() > 0)
        {
            return 0;
        }

        var days = seeds.SelectMany(s => s.Days().Select(d => new Holiday { Date = Holiday.Format(d), Name = s.Name, IsWorkday = s.IsWorkday }))
            .DistinctBy(h => h.Date)
            .ToList();
        _holidays.InsertBulk(days);
        Interlocked.Increment(ref _version);
        return days.Count;
    }

    /// <summary>Date → working status, for <see cref="WorkingCalendar"/>.</summary>
    public IReadOnlyDictionary<DateOnly, bool> Overrides() =>
        _holidays.FindAll()
            .Select(h => (ok: Holiday.TryParseDate(h.Date, out var d), d, h.IsWorkday))
            .Where(x => x.ok)
            .ToDictionary(x => x.d, x => x.IsWorkday);
}
