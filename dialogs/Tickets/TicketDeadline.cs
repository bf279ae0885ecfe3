namespace CommunityBot.Dialogs.Tickets;

/// <summary>The three deadlines a ticket runs against (the desk's clocks); named in Chinese by <see cref="TicketMessages"/>.</summary>
public enum TicketDeadline
{
    /// <summary>签收 by the assignee.</summary>
    Sign,

    /// <summary>The first 回复 or 接管 to the resident.</summary>
    FirstContact,

    /// <summary>办结.</summary>
    Close,
}
