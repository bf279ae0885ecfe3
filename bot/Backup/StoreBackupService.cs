using CommunityBot.Storage;
using LiteDB;
using Microsoft.Extensions.Options;

namespace CommunityBot.Backup;

/// <summary>Backs up the running server's store, one backup at a time (the CLI's <c>backup</c> and the schedule).</summary>
public sealed partial class StoreBackupService(ILiteDatabase database, IOptions<StorageOptions> storage, ILogger<StoreBackupService> logger)
{
    private readonly SemaphoreSlim _one = new(1, 1);

    /// <summary>Copies the store to <paramref name="destination"/>; null when another backup is running.</summary>
    public async Task<BackupResult?> TryBackupAsync(string destination, CancellationToken cancellationToken)
    {
        if (!await _one.WaitAsync(TimeSpan.Zero, cancellationToken))
        {
            return null;
        }

        try
        {
            // On a thread of its own: LiteDB ties the transaction that holds off checkpoints to the thread.
            var result = await Task.Factory.StartNew(
                () => StoreBackup.Copy(database, storage.Value.DatabasePath, destination),
                cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            LogBackedUp(result.Path, result.Bytes, result.Documents, result.Elapsed.TotalSeconds);
            return result;
        }
        finally
        {
            _one.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Store backed up to {Path}: {Bytes} bytes, {Documents} documents, in {Seconds:0.0} s")]
    private partial void LogBackedUp(string path, long bytes, long documents, double seconds);
}
