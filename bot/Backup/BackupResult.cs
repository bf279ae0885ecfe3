namespace CommunityBot.Backup;

/// <summary>A finished backup: where, how big, what it holds (read back from the copy itself) and how long it took.</summary>
public sealed record BackupResult(string Path, long Bytes, int SchemaVersion, int Collections, long Documents, TimeSpan Elapsed);
