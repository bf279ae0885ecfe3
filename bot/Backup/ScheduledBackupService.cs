using System.Globalization;
using CommunityBot.Hosting;
using CommunityBot.Storage;
using Microsoft.Extensions.Options;

namespace CommunityBot.Backup;

/// <summary>
/// Backs up the store every <see cref="BackupOptions.Interval"/> into <see cref="BackupOptions.Folder"/> as
/// <c>communitybot-yyyyMMdd-HHmmss.db</c> (UTC), and keeps only the newest <see cref="BackupOptions.Keep"/> of those.
/// </summary>
public sealed partial class ScheduledBackupService(
    StoreBackupService backups,
    IOptions<BackupOptions> options,
    IOptions<StorageOptions> storage,
    TimeProvider time,
    ILogger<ScheduledBackupService> logger) : PeriodicService(time, logger)
{
    private const string Prefix = "communitybot-";
    private const string Format = "yyyyMMdd-HHmmss";

    protected override TimeSpan Interval => options.Value.Interval ?? TimeSpan.FromDays(1);

    /// <summary>The folder scheduled backups go to.</summary>
    public string Folder => Path.Combine(Path.GetFullPath(storage.Value.DataDir), options.Value.Folder);

    protected override Task RunOnceAsync(DateTimeOffset now, CancellationToken cancellationToken) => BackupNowAsync(now, cancellationToken);

    /// <summary>One scheduled round: a backup named for <paramref name="now"/>, then the oldest beyond the limit deleted.</summary>
    public async Task<BackupResult?> BackupNowAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var name = Prefix + now.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture) + ".db";
        var result = await backups.TryBackupAsync(Path.Combine(Folder, name), cancellationToken);
        if (result is null)
        {
            LogSkipped();
            return null;
        }

        foreach (var old in Scheduled().Skip(options.Value.Keep))
        {
            File.Delete(old);
            LogPruned(Path.GetFileName(old));
        }

        return result;
    }

    /// <summary>The scheduled backups in the folder, newest first (other files there are never touched).</summary>
    public IReadOnlyList<string> Scheduled() =>
        !System.IO.Directory.Exists(Folder) ? [] :
        [.. System.IO.Directory.EnumerateFiles(Folder, Prefix + "*.db")
            .Where(p => DateTime.TryParseExact(Path.GetFileNameWithoutExtension(p)[Prefix.Length..], Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            .OrderByDescending(p => Path.GetFileName(p), StringComparer.Ordinal)];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduled backup skipped: another backup was running")]
    private partial void LogSkipped();

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted the old scheduled backup {File}")]
    private partial void LogPruned(string file);
}
