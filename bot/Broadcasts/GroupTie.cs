namespace CommunityBot.Broadcasts;

/// <summary>The community and compound staff tied a group to (either may be unset), the ids behind a conversation's default place (per-place FAQ answers match on them).</summary>
public sealed record GroupTie(string? CommunityId, string? CompoundId);
