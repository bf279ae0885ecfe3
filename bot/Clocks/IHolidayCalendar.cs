namespace CommunityBot.Clocks;

/// <summary>
/// The office's holiday calendar as <see cref="TicketClock"/> reads it, synchronously, on every deadline it computes:
/// <see cref="HolidayStore"/> (LiteDB, read when asked) or <see cref="Storage.Postgres.PostgresHolidayStore"/> (a copy in
/// memory, loaded again when any instance edits the calendar).
/// </summary>
public interface IHolidayCalendar
{
    /// <summary>Moves whenever <see cref="Overrides"/> may have changed (the clock rebuilds its calendar then).</summary>
    long Version { get; }

    /// <summary>Date → working status: a holiday (false) or an adjusted working weekend (true).</summary>
    IReadOnlyDictionary<DateOnly, bool> Overrides();
}
