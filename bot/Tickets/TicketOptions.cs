using System.ComponentModel.DataAnnotations;

namespace CommunityBot.Tickets;

/// <summary>
/// The duplicate window, take-over timeouts and the office's UTC offset. Ticket deadlines now come from
/// <see cref="CommunityBot.Clocks.ClockOptions"/> (the <c>Clocks</c> section, in working time); the deadline settings
/// below are no longer read by the desk.
/// </summary>
public sealed class TicketOptions
{
    public const string SectionName = "Tickets";

    /// <summary>The worker must sign (签收) within this; it is also the response time promised to the resident.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan SignDeadline { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Default time to close (办结).</summary>
    [Range(typeof(TimeSpan), "00:10:00", "60.00:00:00")]
    public TimeSpan CloseDeadline { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Per-category time to close, e.g. 水电气暖 within 24 hours.</summary>
    public Dictionary<string, TimeSpan> CloseDeadlineByCategory { get; set; } = new() { ["水电气暖"] = TimeSpan.FromHours(24) };

    /// <summary>A report of the same category at the same building within this window joins the open ticket (+1).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromHours(48);

    /// <summary>After a report in a group without a phone, ask the resident privately for one (where the channel allows).</summary>
    public bool AskContactPrivately { get; set; } = true;

    /// <summary>A taken-over thread with no message either way for this long goes back to the assistant.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan HandoffIdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A resident in a taken-over thread unanswered for this long is told so, and the next level is notified.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan HandoffAnswerTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often take-overs are checked for those two timeouts.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan HandoffSweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the id of a message that said 提交 is kept, so that a channel's redelivery of it returns the same receipt.
    /// Channels redeliver within minutes; older ids are deleted by the hourly cleanup.
    /// </summary>
    [Range(typeof(TimeSpan), "00:10:00", "365.00:00:00")]
    public TimeSpan SubmissionRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The office's UTC offset, for ticket numbers and displayed times (Beijing: 08:00).</summary>
    public TimeSpan UtcOffset { get; set; } = TimeSpan.FromHours(8);

    public TimeSpan CloseDeadlineFor(string category) =>
        CloseDeadlineByCategory.TryGetValue(category, out var deadline) ? deadline : CloseDeadline;
}
