using CommunityBot.Dialogs.Conversation;
using LiteDB;

namespace CommunityBot.Tickets;

/// <summary>
/// A resident's grievance as the office handles it. <see cref="Status"/> and <see cref="AssigneeId"/> are kept
/// for queries; the append-only <see cref="Events"/> say who did what, when and why, and
/// <see cref="TicketStatusRules.Replay"/> re-derives the status from them.
/// </summary>
public sealed class Ticket
{
    /// <summary>Readable number, e.g. WT20261123-0042; the document id.</summary>
    [BsonId]
    public string Number { get; set; } = "";
    public string Category { get; set; } = "";
    public string Description { get; set; } = "";
    public string? CompoundId { get; set; }
    public string? CompoundName { get; set; }
    public string? Building { get; set; }
    public string? Unit { get; set; }
    /// <summary>Personal data: shown only to the people handling the ticket.</summary>
    public string? Room { get; set; }
    public string? Landmark { get; set; }
    public string? When { get; set; }
    public List<string> Photos { get; set; } = [];
    public TicketReporter Reporter { get; set; } = new();
    /// <summary>Residents who reported the same problem later (+1) and are kept informed.</summary>
    public List<TicketReporter> Supporters { get; set; } = [];
    /// <summary>"channel|userId" of the reporter and every supporter, for "我的工单".</summary>
    public List<string> ReporterKeys { get; set; } = [];
    /// <summary>"channel|messageId" of the message that submitted the report (see <c>GrievanceReport.SubmissionKey</c>).</summary>
    public string? SubmissionKey { get; set; }
    public string? GridId { get; set; }
    public string AssigneeId { get; set; } = "";
    public string AssigneeName { get; set; } = "";
    public List<string> CoHandlers { get; set; } = [];
    /// <summary>The level of whoever handles the ticket (grid worker, community or street staff).</summary>
    public TicketLevel Level { get; set; }
    /// <summary>The highest rung the escalation ladder has told about this ticket; null while it was never escalated.</summary>
    public TicketLevel? EscalatedTo { get; set; }
    public TicketStatus Status { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime SignBy { get; set; }
    public DateTime CloseBy { get; set; }
    public List<TicketEvent> Events { get; set; } = [];

    public string PublicLocation =>
        string.Concat(CompoundName, Building is null ? "" : Building + "号楼", Unit is null ? "" : Unit + "单元", Landmark) is { Length: > 0 } where
            ? where
            : "位置未说明";

    /// <summary>Where the ticket sits in the ladder now: the handler's level or the rung it was escalated to, whichever is higher.</summary>
    [BsonIgnore]
    public TicketLevel CurrentLevel => EscalatedTo is { } rung && rung > Level ? rung : Level;

    /// <summary>
    /// The photos of the latest 办结 (the worker's, kept on its <see cref="TicketEventKind.Closed"/> event, apart from the
    /// residents' <see cref="Photos"/>); empty when it had none or the ticket was never closed.
    /// </summary>
    [BsonIgnore]
    public IReadOnlyList<string> ClosingPhotos => Events.LastOrDefault(e => e.Kind == TicketEventKind.Closed)?.Photos ?? [];

    public bool IsOpen => Status is TicketStatus.Pending or TicketStatus.InProgress or TicketStatus.Reopened or TicketStatus.Returned;
}

/// <summary>Who reported: channel identity, display name, the conversation to answer in, and a masked phone.</summary>
public sealed class TicketReporter
{
    public string Channel { get; set; } = "";
    public string UserId { get; set; } = "";
    public string UserName { get; set; } = "";
    /// <summary>The reporting conversation (<see cref="CommunityBot.Dialogs.Conversation.ConversationReference"/> as JSON).</summary>
    public string Conversation { get; set; } = "";
    /// <summary>Personal data: the full number, for the handling worker only.</summary>
    public string? Phone { get; set; }
    public string? MaskedPhone { get; set; }

    public string Key => KeyOf(Channel, UserId);

    /// <summary>"channel|userId": how a resident is recognised across their tickets (reporter keys, "我的工单").</summary>
    public static string KeyOf(string channel, string userId) => channel + "|" + userId;

    /// <summary>The reporting conversation, read back.</summary>
    public ConversationReference Address() => TicketDesk.ReadReference(Conversation);
}

/// <summary>One entry of a ticket's append-only log.</summary>
public sealed class TicketEvent
{
    public DateTime At { get; set; }
    /// <summary>Worker id, "resident:{channel}|{user}" or "system".</summary>
    public string Actor { get; set; } = "";
    public TicketEventKind Kind { get; set; }
    public string Note { get; set; } = "";
    /// <summary>
    /// The photos the actor sent with it: a worker's 办结 photos, or the report photos of a resident who joined (+1), which
    /// the ticket's <see cref="Ticket.Photos"/> list too; <c>media:{id}</c>, or http(s) addresses on older tickets.
    /// </summary>
    public List<string> Photos { get; set; } = [];
}

/// <summary>What happened to a ticket.</summary>
public enum TicketEventKind
{
    Created,
    Assigned,
    Supported,
    Signed,
    Replied,
    Returned,
    Closed,
    Reopened,
    Confirmed,
    /// <summary>转派: another worker takes the ticket over (the note says why); they must sign again.</summary>
    Transferred,
    /// <summary>联动: a co-handler was added.</summary>
    CoHandlerAdded,
    /// <summary>A worker took over the conversation with the resident (接管).</summary>
    TakenOver,
    /// <summary>The conversation went back to the assistant (结束接管, closed, or idle).</summary>
    HandedBack,
    /// <summary>Nobody answered the resident in time, or a deadline ran out; the next level was told.</summary>
    Escalated,
    /// <summary>The resident left a phone (and maybe a room) privately after filing in a group.</summary>
    ContactAdded,
    /// <summary>催办: a deadline is near and the assignee was reminded.</summary>
    Reminded,
    /// <summary>During a take-over, what the worker wrote was relayed to the resident (the note is the text as typed).</summary>
    RelayedToResident,
    /// <summary>During a take-over, what the resident wrote was relayed to the worker (the note is the text as typed).</summary>
    RelayedFromResident,
}

/// <summary>The statuses a street office reports on (待签收, 处理中, 已办结, 已关闭, 重办, 已退回).</summary>
public enum TicketStatus
{
    Pending,
    InProgress,
    Resolved,
    Closed,
    Reopened,
    Returned,
}

/// <summary>Where in the ladder a ticket sits.</summary>
public enum TicketLevel
{
    Grid,
    Community,
    Street,
    District,
}
