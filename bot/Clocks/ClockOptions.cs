using System.ComponentModel.DataAnnotations;

namespace CommunityBot.Clocks;

/// <summary>
/// Office hours, the holiday calendar's seed, the deadlines of the three ticket clocks and the escalation ladder.
/// Clock lengths are strings: wall time ("00:30:00") or office time ("2 working hours", "3 working days").
/// </summary>
public sealed class ClockOptions
{
    public const string SectionName = "Clocks";

    /// <summary>The office's time zone; a fixed UTC+8 stands in for Asia/Shanghai where the system has no zone data.</summary>
    [Required]
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>Office hours on a working day (Monday–Friday unless the holiday calendar says otherwise).</summary>
    [Required]
    public string OfficeHours { get; set; } = "08:30-12:00,13:30-17:30";

    /// <summary>签收: the assignee must sign within this.</summary>
    [Required]
    public string Sign { get; set; } = "00:30:00";

    /// <summary>First contact: the first 回复 or 接管 to the resident.</summary>
    [Required]
    public string FirstContact { get; set; } = "2 working hours";

    /// <summary>办结 for categories not listed below.</summary>
    [Required]
    public string Close { get; set; } = "3 working days";

    /// <summary>办结 per category, e.g. 水电气暖 within 24 hours of wall time.</summary>
    public Dictionary<string, string> CloseByCategory { get; set; } = new() { ["水电气暖"] = "1.00:00:00" };

    /// <summary>Categories that get <see cref="ComplexClose"/> (null: 楼盘房屋 and 邻里纠纷).</summary>
    public List<string>? ComplexCategories { get; set; }

    [Required]
    public string ComplexClose { get; set; } = "15 working days";

    /// <summary>催办 the assignee once this share of a clock has run.</summary>
    [Range(0.1, 0.99)]
    public double ReminderAt { get; set; } = 0.8;

    /// <summary>How often the escalation sweeper looks for due timers.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A clock paused for the resident's answer runs again after this even if the resident never answers.</summary>
    [Range(typeof(TimeSpan), "00:10:00", "30.00:00:00")]
    public TimeSpan MaxPause { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Seeds the <c>holidays</c> collection when it is empty (the office then edits it with <c>calendar add|remove</c>).</summary>
    // appsettings.json carries 2026 from 国务院办公厅关于2026年部分节假日安排的通知 (State Council General Office, 2025-11-04,
    // published by Xinhua, e.g. https://politics.gmw.cn/2025-11/04/content_38391083.htm): each holiday run, and the 调休 working weekends.
    public List<HolidaySeed> Holidays { get; set; } = [];

    /// <summary>The last rung of the ladder; the directory has no district level.</summary>
    public DistrictContact District { get; set; } = new();

    public IReadOnlyList<string> EffectiveComplexCategories => ComplexCategories ?? ["楼盘房屋", "邻里纠纷"];

    /// <summary>The office's time zone (a fixed UTC+8 for the default when the system has no time-zone data).</summary>
    public TimeZoneInfo ResolveTimeZone()
    {
        if (TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var zone))
        {
            return zone;
        }

        return TimeZone == "Asia/Shanghai"
            ? TimeZoneInfo.CreateCustomTimeZone(TimeZone, TimeSpan.FromHours(8), "China Standard Time", "China Standard Time")
            : throw new InvalidOperationException($"Clocks:TimeZone \"{TimeZone}\" is not a time zone this system knows (e.g. Asia/Shanghai).");
    }

    /// <summary>Null when the settings hold together; otherwise what is wrong.</summary>
    public string? Problem()
    {
        try
        {
            ResolveTimeZone();
        }
        catch (InvalidOperationException ex)
        {
            return ex.Message;
        }

        if (!OfficePeriod.TryParseList(OfficeHours, out _))
        {
            return $"Clocks:OfficeHours \"{OfficeHours}\" is not like \"08:30-12:00,13:30-17:30\".";
        }

        foreach (var (name, value) in new[] { ("Sign", Sign), ("FirstContact", FirstContact), ("Close", Close), ("ComplexClose", ComplexClose) }
                     .Concat(CloseByCategory.Select(c => ("CloseByCategory:" + c.Key, c.Value))))
        {
            if (!ClockRule.TryParse(value, out _))
            {
                return $"Clocks:{name} \"{value}\" is not a clock length (e.g. \"00:30:00\", \"2 working hours\", \"3 working days\").";
            }
        }

        return Holidays.FirstOrDefault(h => h.Days().Count == 0) is { } bad
            ? $"Clocks:Holidays entry \"{bad.Name}\" needs Date (yyyy-MM-dd) and an optional To on or after it."
            : null;
    }
}

/// <summary>A holiday (or a run of days) or a 调休 working day, as written in appsettings.json.</summary>
public sealed class HolidaySeed
{
    public string Date { get; set; } = "";

    /// <summary>Last day of a run (inclusive); empty for a single day.</summary>
    public string? To { get; set; }

    public string Name { get; set; } = "";

    /// <summary>True for an adjusted working weekend (调休上班).</summary>
    public bool IsWorkday { get; set; }

    public IReadOnlyList<DateOnly> Days()
    {
        if (!Holiday.TryParseDate(Date, out var from))
        {
            return [];
        }

        if (string.IsNullOrEmpty(To))
        {
            return [from];
        }

        return Holiday.TryParseDate(To, out var to) && to >= from && to.DayNumber - from.DayNumber < 60
            ? Enumerable.Range(0, to.DayNumber - from.DayNumber + 1).Select(from.AddDays).ToList()
            : [];
    }
}

/// <summary>
/// The district (区) contact that the last step of the ladder reaches. With a channel address it gets a private
/// message; without one the escalation is only recorded on the ticket and logged.
/// </summary>
public sealed class DistrictContact
{
    public string Name { get; set; } = "区网格化服务管理中心";

    /// <summary>Channel id of the contact's private chat (e.g. "wecom", "msteams", "webchat"); empty: record only.</summary>
    public string? Channel { get; set; }

    public string? ConversationId { get; set; }

    public string? UserId { get; set; }

    public string? ServiceUrl { get; set; }
}
