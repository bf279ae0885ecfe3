using System.Diagnostics;
using LiteDB;

namespace CommunityBot.Backup;

/// <summary>
/// A consistent copy of a LiteDB store while it is in use. LiteDB 5 writes every commit to its log file
/// (<c>communitybot-log.db</c>) and changes the data file only in a checkpoint, which needs its exclusive lock: so after a
/// checkpoint, and while an open transaction keeps the next one out, the data file is a complete, unchanging picture of
/// every write committed up to that checkpoint, which can be copied byte for byte while turns go on writing to the log.
/// (LiteDB 5.0.20: <c>WalIndexService.Checkpoint</c> and <c>TryCheckpoint</c>, <c>LockService.TryEnterExclusive</c>,
/// which gives up while any transaction is open.) The copy is then opened and counted, so a torn file is never kept.
/// </summary>
public static class StoreBackup
{
    private const int BufferSize = 1 << 20;

    /// <summary>
    /// Copies the store at <paramref name="sourcePath"/>, open as <paramref name="database"/>, to <paramref name="destination"/>
    /// (replaced only once the copy is verified). Synchronous: LiteDB ties the transaction to the calling thread.
    /// </summary>
    public static BackupResult Copy(ILiteDatabase database, string sourcePath, string destination)
    {
        if (!File.Exists(sourcePath))
        {
            throw new InvalidOperationException("The store is not a file on disk (an in-memory store cannot be backed up).");
        }

        var started = Stopwatch.GetTimestamp();
        var full = Path.GetFullPath(destination);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var partial = full + ".partial";
        database.Checkpoint();
        // Holds LiteDB's transaction lock shared: writes go on (into the log), checkpoints wait until the copy is done.
        database.BeginTrans();
        try
        {
            using var source = new FileStream(sourcePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, BufferSize, FileOptions.SequentialScan);
            using var target = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, BufferSize);
            source.CopyTo(target, BufferSize);
            target.Flush(flushToDisk: true);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
        finally
        {
            database.Rollback();
        }

        try
        {
            var (version, collections, documents) = Inspect(partial);
            File.Move(partial, full, overwrite: true);
            return new BackupResult(full, new FileInfo(full).Length, version, collections, documents, Stopwatch.GetElapsedTime(started));
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
    }

    /// <summary>
    /// Opens a store file that nothing else has open and reads its schema version and how many collections and documents
    /// it holds; throws (a <see cref="LiteException"/>, an <see cref="IOException"/>) when it is not a readable store.
    /// </summary>
    public static (int SchemaVersion, int Collections, long Documents) Inspect(string path)
    {
        CheckHeader(path);
        using var database = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });
        var names = database.GetCollectionNames().ToList();
        var documents = names.Sum(name => (long)database.GetCollection(name).LongCount());
        return (database.UserVersion, names.Count, documents);
    }

    // LiteDB 5's data file starts with its header page: "** This is a LiteDB file **" at byte 32 and file format 8 at byte 59
    // (HeaderPage.HEADER_INFO, FILE_VERSION), in whole 8 KiB pages. LiteDB opens some other files without complaint (a
    // short text file among them), so restore checks this itself before trusting a file.
    private const string HeaderInfo = "** This is a LiteDB file **";
    private const int PageSize = 8192;

    private static void CheckHeader(string path)
    {
        var header = new byte[60];
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            if (file.Length < PageSize || file.Length % PageSize != 0 || file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
            {
                throw new InvalidDataException("not a LiteDB 5 data file: its size is not a whole number of 8 KiB pages");
            }
        }

        if (System.Text.Encoding.ASCII.GetString(header, 32, HeaderInfo.Length) != HeaderInfo || header[59] != 8)
        {
            throw new InvalidDataException("not a LiteDB 5 data file: no LiteDB header");
        }
    }
}
