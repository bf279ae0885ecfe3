namespace CommunityBot.Dialogs.Tickets;

/// <summary>What became of the contact a resident was asked for after filing in a group.</summary>
public enum ContactOutcome
{
    /// <summary>They chose not to leave one.</summary>
    Skipped,

    /// <summary>The phone is on the ticket and its handler was told.</summary>
    Recorded,

    /// <summary>The ticket is not theirs (or gone): nothing was recorded.</summary>
    TicketNotFound,
}
