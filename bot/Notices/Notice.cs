using CommunityBot.Directory;

namespace CommunityBot.Notices;

/// <summary>
/// An outage or notice staff post for some buildings and a time window (停水/停电 …). While it is in force, residents'
/// questions about its topic are answered from it and their matching reports are recorded on it instead of tickets.
/// </summary>
public sealed class Notice
{
    /// <summary>Assigned by the store (LiteDB auto id).</summary>
    public int Id { get; set; }
    public string Title { get; set; } = "";
    public string Text { get; set; } = "";
    /// <summary>One of the grievance categories (e.g. 水电气暖); a report of this category can join the notice.</summary>
    public string Category { get; set; } = "";
    /// <summary>Topic words ("停水", "没水", "来水" …) that tie a resident's message to the notice.</summary>
    public List<string> Keywords { get; set; } = [];
    /// <summary>The community (二级网格) the notice belongs to; community staff manage only their own.</summary>
    public string CommunityId { get; set; } = "";
    public List<NoticePlace> Places { get; set; } = [];
    public DateTime StartUtc { get; set; }
    public DateTime EndUtc { get; set; }
    /// <summary>The console account that posted it.</summary>
    public string Author { get; set; } = "";
    public DateTime CreatedUtc { get; set; }
    /// <summary>The last edit in the console (编辑), if any; the reports that joined the notice stay with it.</summary>
    public DateTime? EditedUtc { get; set; }
    public string? EditedBy { get; set; }
    public DateTime? WithdrawnUtc { get; set; }
    public string? WithdrawnBy { get; set; }
    /// <summary>Residents' reports that joined the notice; personal, shown only in the console.</summary>
    public List<NoticeReport> Reports { get; set; } = [];

    public bool IsInForce(DateTime utc) => WithdrawnUtc is null && StartUtc <= utc && utc < EndUtc;

    /// <summary>Not withdrawn, and in force at <paramref name="utc"/> or starting by <paramref name="startsBy"/>.</summary>
    public bool IsInForceOrStartingBy(DateTime utc, DateTime startsBy) => EndUtc > utc && WithdrawnUtc is null && StartUtc <= startsBy;

    /// <summary>The public scope, e.g. "幸福里小区1-6号楼；和平里小区（全小区）".</summary>
    public string Where => string.Join("；", Places.Select(p => p.Describe()));
}

/// <summary>A compound in a notice's scope; no buildings means the whole compound.</summary>
public sealed class NoticePlace
{
    public string CompoundId { get; set; } = "";
    public string CompoundName { get; set; } = "";
    /// <summary>Canonical building names ("3号楼"); empty for the whole compound.</summary>
    public List<string> Buildings { get; set; } = [];

    public string Describe() =>
        Buildings.Count == 0 ? CompoundName + "（全小区）" : CompoundName + BuildingName.FormatList(Buildings);
}

/// <summary>A resident's report recorded on a notice instead of a ticket. Never shown in a group.</summary>
public sealed class NoticeReport
{
    public DateTime AtUtc { get; set; }
    /// <summary>"channel|userId", as on tickets.</summary>
    public string ReporterKey { get; set; } = "";
    public string ReporterName { get; set; } = "";
    /// <summary>Compound, building and unit as the resident gave them (never the room).</summary>
    public string Location { get; set; } = "";
    public string Description { get; set; } = "";
}
