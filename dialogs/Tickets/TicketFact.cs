using CommunityBot.Dialogs.Conversation;

namespace CommunityBot.Dialogs.Tickets;

/// <summary>
/// Something the ticket desk decided that someone other than the actor must hear of (a card for a worker, a notice for
/// a resident, a relayed message). The desk decides who and when; <see cref="TicketMessages"/> words it for the audience.
/// </summary>
public abstract record TicketFact
{
    private TicketFact()
    {
    }

    /// <summary>A worker needs the ticket's card with its buttons.</summary>
    public sealed record WorkerCardNeeded(TicketCard Ticket, CardReason Reason) : TicketFact;

    /// <summary>Another resident reported the same problem and joined the ticket (for its handler).</summary>
    /// <param name="Reporters">How many residents have reported it now.</param>
    public sealed record SupporterJoined(string Number, string ResidentName, string? Phone, int Reporters, string Description) : TicketFact;

    /// <summary>A reporter left a phone (and perhaps unit and room) privately after filing (for the handler).</summary>
    public sealed record ContactLeft(string Number, string ResidentName, string Phone, string? Unit, string? Room) : TicketFact;

    /// <summary>The handler's 回复 on the ticket, for each of its residents.</summary>
    /// <param name="Room">The reporter's room, hidden wherever it stands in the note for a group.</param>
    public sealed record WorkerReplied(string Number, string WorkerName, string Note, string? Room) : TicketFact;

    /// <summary>A worker took over the resident's thread (for the resident).</summary>
    public sealed record TakeOverStarted(string Number, string WorkerName) : TicketFact;

    /// <summary>A worker took over from the admin console: their private chat now carries the relay (for the worker).</summary>
    public sealed record ConsoleTakeOverStarted(string Number, string ResidentName) : TicketFact;

    /// <summary>In a take-over, the resident's message on its way to the worker.</summary>
    public sealed record RelayedFromResident(string Number, string ResidentName, string Text, int Attachments) : TicketFact;

    /// <summary>In a take-over, the worker's message on its way to the resident.</summary>
    public sealed record RelayedToResident(string WorkerName, string Text) : TicketFact;

    /// <summary>The thread went back to the assistant (for the resident).</summary>
    public sealed record TakeOverEnded(string Number, string WorkerName) : TicketFact;

    /// <summary>The thread went back to the assistant because nobody wrote for a while (for the worker).</summary>
    public sealed record TakeOverIdle(string Number, string ResidentName) : TicketFact;

    /// <summary>The worker has not answered the waiting resident; <paramref name="SupervisorName"/> was asked to follow up (for the resident).</summary>
    public sealed record AnswerDelayed(string Number, string WorkerName, string SupervisorName) : TicketFact;

    /// <summary>
    /// The photos a resident sent with the report, re-hosted once fetched (for the handler): <paramref name="Photos"/> are
    /// the links that open from any channel, <paramref name="Lost"/> how many could not be kept.
    /// </summary>
    public sealed record ReportPhotos(string Number, IReadOnlyList<OutboundAttachment> Photos, int Lost) : TicketFact;

    /// <summary>
    /// The photos a resident sent when they joined the ticket by reporting the same problem (+1), re-hosted once fetched
    /// (for the handler), as <see cref="ReportPhotos"/> are.
    /// </summary>
    public sealed record SupporterPhotos(string Number, string ResidentName, IReadOnlyList<OutboundAttachment> Photos, int Lost) : TicketFact;

    /// <summary>The 办结 photos, re-hosted once fetched, for each resident (none kept: they are told it could not be sent).</summary>
    public sealed record ClosingPhotos(string Number, IReadOnlyList<OutboundAttachment> Photos) : TicketFact;

    /// <summary>Some of the worker's 办结 photos could not be kept, so the residents did not get them (for that worker).</summary>
    public sealed record ClosingPhotosLost(string Number, int Lost) : TicketFact;

    /// <summary>The ladder reached the district, which sees the case but not the resident's personal data.</summary>
    public sealed record DistrictEscalated(TicketCard Ticket, IReadOnlyList<TicketDeadline> Missed) : TicketFact;
}
