namespace CommunityBot.Dialogs.Tickets;

/// <summary>The desk's answer to a resident's feedback; <see cref="TicketMessages.ToResident(FeedbackRecorded)"/> words it.</summary>
public sealed record FeedbackRecorded(FeedbackOutcome Outcome, string TicketNumber, bool Fixed, bool Satisfied);
