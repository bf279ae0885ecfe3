namespace CommunityBot.Dialogs.Tickets;

/// <summary>What a resident's answers after 办结 did to the ticket.</summary>
public enum FeedbackOutcome
{
    /// <summary>Nothing: not one of its reporters, or the ticket is no longer waiting for feedback.</summary>
    NotRecorded,

    /// <summary>Fixed and satisfied: the ticket is closed for good.</summary>
    Confirmed,

    /// <summary>Not fixed or not satisfied: the ticket is reopened (重办).</summary>
    Reopened,
}
