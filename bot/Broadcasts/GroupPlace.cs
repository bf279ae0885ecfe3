namespace CommunityBot.Broadcasts;

/// <summary>The community and compound staff tied a group to (either may be unset), as the default place of what is said there.</summary>
public sealed record GroupPlace(string? CommunityId, string? CompoundId);
