namespace CommunityBot.Dialogs.Tickets;

/// <summary>The desk's answer to a resident's contact; <see cref="Phone"/> is what they left (shown back to them masked).</summary>
public sealed record ContactRecorded(ContactOutcome Outcome, string? Phone = null);
