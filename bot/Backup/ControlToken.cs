namespace CommunityBot.Backup;

/// <summary>The random token of this server's operations endpoints (new at every start).</summary>
public sealed record ControlToken(string Value);
