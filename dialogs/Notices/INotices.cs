using System.Globalization;
using CommunityBot.Dialogs.Grievance;

namespace CommunityBot.Dialogs.Notices;

/// <summary>
/// What dialogs may ask of the notices staff post (停水/停电 …): which notices in force answer a question or cover a
/// report, and recording a report on a notice instead of filing a ticket. bot/Notices implements it.
/// </summary>
public interface INotices
{
    /// <summary>
    /// Notices in force at <paramref name="at"/> or starting within the next 48 hours (<see cref="NoticeInfo.HasStarted"/>
    /// tells which) whose topic words occur in <paramref name="text"/>; when the message names a compound or building,
    /// only those whose scope covers it. Soonest first.
    /// </summary>
    IReadOnlyList<NoticeInfo> About(string text, string? compoundId, string? building, DateTimeOffset at);

    /// <summary>
    /// The notice in force at <paramref name="at"/> that a report falls under: same category (any, while the category is
    /// not known yet), the place inside its scope, and one of its topic words in what the resident said happened. Null
    /// when none does.
    /// </summary>
    NoticeInfo? Covering(string? category, string description, string? compoundId, string? building, DateTimeOffset at);

    /// <summary>
    /// Records the report on the notice (once per resident). Returns the notice with its updated count, or null when it
    /// is no longer in force (withdrawn or its window passed): the caller then files a ticket as usual.
    /// </summary>
    Task<NoticeInfo?> JoinAsync(string noticeId, GrievanceReport report, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>
/// A notice as residents may see it: no personal data. <see cref="Start"/> and <see cref="End"/> are in office time;
/// <see cref="Where"/> is the public scope ("幸福里小区1-6号楼").
/// </summary>
public sealed record NoticeInfo(string Id, string Title, string Text, string Where, DateTimeOffset Start, DateTimeOffset End, int Reports)
{
    /// <summary>Whether the window has begun at <paramref name="now"/> (an upcoming notice answers questions but takes no reports).</summary>
    public bool HasStarted(DateTimeOffset now) => Start <= now;

    /// <summary>"11月24日 08:00".</summary>
    public string StartText => Start.ToString("M月d日 HH:mm", CultureInfo.InvariantCulture);

    /// <summary>"11月24日 08:00 至 11月24日 18:00" (the date is left out of the end when it is the same day).</summary>
    public string Window =>
        Start.Date == End.Date
            ? string.Create(CultureInfo.InvariantCulture, $"{Start:M月d日 HH:mm} 至 {End:HH:mm}")
            : string.Create(CultureInfo.InvariantCulture, $"{Start:M月d日 HH:mm} 至 {End:M月d日 HH:mm}");
}
