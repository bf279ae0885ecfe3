using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Grievance;

namespace CommunityBot.Dialogs.Tickets;

/// <summary>The port through which dialogs file tickets, look them up and let workers act; bot/Tickets implements it.</summary>
public interface ITicketDesk
{
    /// <summary>Records the report as a ticket (or joins an open duplicate), routes it and notifies the worker.</summary>
    Task<TicketReceipt> FileAsync(GrievanceReport report, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The tickets this resident reported or joined, newest first.</summary>
    Task<IReadOnlyList<TicketSummary>> MineAsync(string channel, string userId, CancellationToken cancellationToken);

    /// <summary>A worker (or anyone pressing a ticket button) acts on a ticket; permissions are checked here.</summary>
    Task<WorkerActionResult> ActAsync(WorkerActionRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// When a worker has taken over (接管) this resident's thread: relays the message to the worker and returns true,
    /// and the assistant stays silent. False when the thread is the assistant's.
    /// </summary>
    Task<bool> RelayFromResidentAsync(InboundMessage message, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// When the sender is a worker in a take-over, relays their message to the resident (or hands the thread back on
    /// 「结束接管」) and returns what to tell the worker ("" for nothing); null when they are not in a take-over.
    /// </summary>
    Task<string?> RelayFromWorkerAsync(InboundMessage message, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The contact a resident left privately after filing in a group; only the ticket's own reporters may add one.</summary>
    Task<ContactRecorded> RecordContactAsync(ContactResult contact, ConversationReference resident, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The resident's answers after a ticket was closed: fixed? satisfied? A "no" reopens it.</summary>
    Task<FeedbackRecorded> RecordFeedbackAsync(string ticketNumber, ConversationReference resident, bool fixedIt, bool satisfied, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>What the resident is told after filing: safe to show in a group (no phone, no room).</summary>
/// <param name="AlreadyReported">The resident had already reported or joined this open ticket: nothing was added.</param>
public sealed record TicketReceipt(string Number, string ResponsibleName, TimeSpan PromisedResponse, bool JoinedExisting, int Supporters, bool AlreadyReported = false);

/// <summary>
/// One line of "我的工单": <see cref="CreatedAt"/> in office time, who holds it now, and the last word the residents were
/// given on it (the worker's latest reply or closing note since it was last reopened), if any. <see cref="Where"/> and
/// <see cref="Progress"/> are as stored, with <see cref="Room"/> the reporter's room: <see cref="TicketMessages"/> hides
/// what must not be shown.
/// </summary>
public sealed record TicketSummary(
    string Number, string Category, string Where, string Status, DateTimeOffset CreatedAt, string Handler = "", string? Progress = null, string? Room = null);

/// <summary>The actions on a worker's ticket card.</summary>
public enum WorkerAction
{
    Sign,
    Reply,
    TakeOver,
    Transfer,
    CoHandle,
    Return,
    Close,
    EndTakeOver,
}

/// <summary>
/// An action on a ticket by whoever pressed the button or typed the note. <see cref="TargetWorkerId"/> names the
/// receiving worker of 转派/联动 when it was chosen from a list (the admin console); without it the desk looks for a
/// worker's full name in the note (the chat card). <see cref="Photos"/> are the closing photos of 办结 (http(s) addresses);
/// with one, 办结 needs no typed note.
/// </summary>
public sealed record WorkerActionRequest(
    string TicketNumber, WorkerAction Action, ConversationReference Actor, string Note, DateTimeOffset At, string? TargetWorkerId = null,
    IReadOnlyList<string>? Photos = null);

/// <summary>
/// What came of a worker's action (<see cref="TicketMessages.ToActor"/> words it); <see cref="NeedsNote"/> means the
/// action needs a note first (回复/办结/退回/转派/联动). <see cref="Name"/> is the other person the outcome is about (the
/// receiving worker, the one it went back to, the resident taken over, the worker who has them already).
/// </summary>
public sealed record WorkerActionResult(WorkerActionOutcome Outcome, string TicketNumber, string? Name = null)
{
    /// <summary>The ticket's status in Chinese, when the outcome depends on it.</summary>
    public string? Status { get; init; }

    /// <summary>The deadline the actor now works to, in office time (签收: the closing deadline).</summary>
    public DateTimeOffset? Deadline { get; init; }

    public bool Succeeded => Outcome is WorkerActionOutcome.NeedsNote or WorkerActionOutcome.Signed or WorkerActionOutcome.Replied
        or WorkerActionOutcome.Closed or WorkerActionOutcome.Returned or WorkerActionOutcome.Transferred
        or WorkerActionOutcome.CoHandlingRequested or WorkerActionOutcome.TakenOver or WorkerActionOutcome.TakeOverEnded;

    public bool NeedsNote => Outcome == WorkerActionOutcome.NeedsNote;
}
