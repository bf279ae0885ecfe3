using System.Globalization;
using CommunityBot.Clocks;
using Microsoft.Extensions.Options;

namespace CommunityBot.Admin;

/// <summary>Shows stored UTC times in the office's time zone (the Clocks settings), as staff read them.</summary>
public sealed class AdminFormat(IOptions<ClockOptions> clocks)
{
    private readonly TimeZoneInfo _zone = clocks.Value.ResolveTimeZone();

    public TimeZoneInfo Zone => _zone;

    public string Time(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), _zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public string Time(DateTimeOffset at) => Time(at.UtcDateTime);

    /// <summary>The UTC instant at which local day <paramref name="day"/> starts in the office's zone.</summary>
    public DateTime StartOfDayUtc(DateOnly day) =>
        TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), _zone);
}
