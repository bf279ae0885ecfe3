namespace CommunityBot.Tickets;

/// <summary>How events move a ticket between statuses, and the Chinese names residents and workers see.</summary>
public static class TicketStatusRules
{
    /// <summary>The status after <paramref name="kind"/>, or the same status when the event does not change it.</summary>
    public static TicketStatus After(TicketStatus current, TicketEventKind kind) => kind switch
    {
        TicketEventKind.Created => TicketStatus.Pending,
        TicketEventKind.Signed => TicketStatus.InProgress,
        TicketEventKind.Replied when current is TicketStatus.Pending or TicketStatus.Reopened => TicketStatus.InProgress,
        TicketEventKind.Returned => TicketStatus.Returned,
        TicketEventKind.Closed => TicketStatus.Resolved,
        TicketEventKind.Reopened => TicketStatus.Reopened,
        TicketEventKind.Confirmed => TicketStatus.Closed,
        TicketEventKind.Assigned when current == TicketStatus.Returned => TicketStatus.Pending,
        TicketEventKind.Transferred => TicketStatus.Pending,
        _ => current,
    };

    /// <summary>Re-derives the status from the event log (used to check the stored status).</summary>
    public static TicketStatus Replay(IEnumerable<TicketEvent> events) =>
        events.Aggregate(TicketStatus.Pending, (status, e) => After(status, e.Kind));

    public static string Chinese(TicketStatus status) => status switch
    {
        TicketStatus.Pending => "待签收",
        TicketStatus.InProgress => "处理中",
        TicketStatus.Resolved => "已办结",
        TicketStatus.Closed => "已关闭",
        TicketStatus.Reopened => "重办",
        TicketStatus.Returned => "已退回",
        _ => status.ToString(),
    };
}
