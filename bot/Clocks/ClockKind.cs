namespace CommunityBot.Clocks;

/// <summary>The three deadlines a ticket runs against.</summary>
public enum ClockKind
{
    /// <summary>签收 by the assignee.</summary>
    Sign,

    /// <summary>The first 回复 or 接管 to the resident.</summary>
    FirstContact,

    /// <summary>办结.</summary>
    Close,
}
