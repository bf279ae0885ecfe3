using CommunityBot.Dialogs.Conversation;

namespace CommunityBot.Dialogs.Grievance;

/// <summary>What the intake dialog hands back: everything needed to record a ticket.</summary>
public sealed record GrievanceReport
{
    public required ConversationReference Reporter { get; init; }
    public required string Category { get; init; }
    public required string Description { get; init; }
    public string? CompoundId { get; init; }
    public string? CompoundName { get; init; }
    public string? Building { get; init; }
    public string? Unit { get; init; }
    /// <summary>Personal: stored on the ticket, never shown in a group.</summary>
    public string? Room { get; init; }
    public string? Landmark { get; init; }
    public string? When { get; init; }
    /// <summary>Personal: stored on the ticket, shown masked.</summary>
    public string? Phone { get; init; }
    public IReadOnlyList<InboundAttachment> Photos { get; init; } = [];
    /// <summary>
    /// "channel|messageId" of the message that submitted the report. Filing the same submission again (the channel
    /// redelivers a message whose turn crashed after the ticket was written) returns the ticket it opened.
    /// </summary>
    public string? SubmissionKey { get; init; }

    /// <summary>The announced notice (停水/停电 …) this report falls under: it joins the notice instead of becoming a ticket.</summary>
    public string? NoticeId { get; init; }

    /// <summary>Where, as it may be shown in a group ("幸福里小区5号楼").</summary>
    public string PublicLocation =>
        string.Concat(CompoundName, Building is null ? "" : Building + "号楼", Unit is null ? "" : Unit + "单元", Landmark) is { Length: > 0 } where
            ? where
            : "位置未说明";
}
