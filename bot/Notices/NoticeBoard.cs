using System.Globalization;
using CommunityBot.Clocks;
using CommunityBot.Dialogs.Grievance;
using CommunityBot.Dialogs.Notices;
using CommunityBot.Directory;
using CommunityBot.Tickets;
using Microsoft.Extensions.Options;

namespace CommunityBot.Notices;

/// <summary>
/// The dialogs' view of the notices (<see cref="INotices"/>): which notices in force a message is about or a report
/// falls under, and recording reports on them. Times go out in the office's time zone.
/// </summary>
public sealed partial class NoticeBoard(INoticeRecords store, IOptions<ClockOptions> clocks, ILogger<NoticeBoard> logger) : INotices
{
    /// <summary>How far ahead a question finds a notice that has not started yet ("明天停水吗").</summary>
    public static readonly TimeSpan Upcoming = TimeSpan.FromHours(48);

    private readonly TimeZoneInfo _zone = clocks.Value.ResolveTimeZone();

    public IReadOnlyList<NoticeInfo> About(string text, string? compoundId, string? building, DateTimeOffset at) =>
        store.InForceOrStartingBy(at.UtcDateTime, (at + Upcoming).UtcDateTime)
            .Where(n => n.Keywords.Any(k => text.Contains(k, StringComparison.Ordinal)))
            .Where(n => Covers(n, compoundId, building, placeRequired: false))
            .OrderBy(n => n.StartUtc)
            .Select(ToInfo)
            .ToList();

    public NoticeInfo? Covering(string? category, string description, string? compoundId, string? building, DateTimeOffset at) =>
        store.InForce(at.UtcDateTime)
            .Where(n => (category is null || SameCategory(n.Category, category)) && n.Keywords.Any(k => description.Contains(k, StringComparison.Ordinal)))
            .Where(n => Covers(n, compoundId, building, placeRequired: true))
            .OrderBy(n => n.StartUtc)
            .Select(ToInfo)
            .FirstOrDefault();

    public async Task<NoticeInfo?> JoinAsync(string noticeId, GrievanceReport report, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (!int.TryParse(noticeId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return null;
        }

        var key = TicketReporter.KeyOf(report.Reporter.Channel, report.Reporter.UserId);
        var joined = false;
        var notice = await store.UpdateAsync(id, n =>
        {
            if (!n.IsInForce(at.UtcDateTime))
            {
                return false;
            }

            // A resident who reports the same outage twice is counted once.
            if (!n.Reports.Any(r => r.ReporterKey == key))
            {
                n.Reports.Add(new NoticeReport
                {
                    AtUtc = at.UtcDateTime,
                    ReporterKey = key,
                    ReporterName = report.Reporter.UserName,
                    Location = report.PublicLocation,
                    Description = report.Description,
                });
                joined = true;
            }

            return true;
        }, cancellationToken);
        if (notice is null)
        {
            return null;
        }

        if (joined)
        {
            LogJoined(notice.Id, notice.Reports.Count);
        }

        return ToInfo(notice);
    }

    /// <summary>
    /// Whether the notice's scope covers the place. Without a compound, any compound with that building counts (a
    /// question "5号楼停电了吗"); a report (<paramref name="placeRequired"/>) must name the compound, and the building
    /// unless the notice covers the whole compound.
    /// </summary>
    private static bool Covers(Notice notice, string? compoundId, string? building, bool placeRequired)
    {
        if (compoundId is null && (placeRequired || building is null))
        {
            return !placeRequired;
        }

        var canonical = building is null ? null : BuildingName.Normalize(building);
        return notice.Places.Any(p =>
            (compoundId is null || p.CompoundId == compoundId)
            && (p.Buildings.Count == 0 || (canonical is not null && p.Buildings.Contains(canonical, StringComparer.Ordinal))));
    }

    /// <summary>A report of a sub-category ("水电气暖-水") falls under a notice of its parent ("水电气暖").</summary>
    private static bool SameCategory(string notice, string report) =>
        report == notice || report.StartsWith(notice + "-", StringComparison.Ordinal);

    private NoticeInfo ToInfo(Notice notice) => new(
        notice.Id.ToString(CultureInfo.InvariantCulture),
        notice.Title,
        notice.Text,
        notice.Where,
        ToOffice(notice.StartUtc),
        ToOffice(notice.EndUtc),
        notice.Reports.Count);

    private DateTimeOffset ToOffice(DateTime utc)
    {
        var instant = new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
        return TimeZoneInfo.ConvertTime(instant, _zone);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A report joined notice {NoticeId} ({Reports} reports) instead of a ticket")]
    private partial void LogJoined(int noticeId, int reports);
}
