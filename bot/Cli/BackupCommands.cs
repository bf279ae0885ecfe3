using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using CommunityBot.Backup;
using CommunityBot.Storage;

namespace CommunityBot.Cli;

/// <summary>
/// <c>backup FILE</c> (a consistent copy of the store: through the running server when there is one, else directly; then the
/// photos, DATA_DIR/media, into <c>FILE.media</c>) and
/// <c>restore FILE</c> (into the data directory of a stopped server, keeping the store it replaces).
/// </summary>
public static class BackupCommands
{
    /// <summary>Exit code for a file that is not a readable store.</summary>
    public const int NotAStore = 2;

    public static IEnumerable<Command> Create(Option<string?> dataDir, TextWriter output, TextWriter error)
    {
        var backupFile = new Argument<FileInfo>("FILE") { Description = "Where to write the copy (replaced if it exists)." };
        var backup = new Command("backup", "Write a consistent copy of the store to FILE, and the photos to FILE.media; works while the server runs (through it).") { backupFile };
        backup.SetAction((parse, cancellationToken) =>
            BackupAsync(CliStorage.Storage(parse.GetValue(dataDir)), parse.GetValue(backupFile)!.FullName, output, error, client: null, cancellationToken));

        var restoreFile = new Argument<FileInfo>("FILE") { Description = "A backup made by `backup` (or a copy of a stopped server's communitybot.db)." };
        var restore = new Command("restore", "Replace the store of a stopped server with FILE; the replaced store is kept beside it.") { restoreFile };
        restore.SetAction(parse => Restore(CliStorage.Storage(parse.GetValue(dataDir)), parse.GetValue(restoreFile)!.FullName, output, error));
        return [backup, restore];
    }

    /// <param name="client">The server's client (tests); null to reach it at the URL in <see cref="ServerControlFile"/>.</param>
    public static async Task<int> BackupAsync(StorageOptions storage, string file, TextWriter output, TextWriter error, HttpClient? client, CancellationToken cancellationToken)
    {
        if (!File.Exists(storage.DatabasePath))
        {
            error.WriteLine($"There is no store at {storage.DatabasePath}. Check --data-dir.");
            return NotAStore;
        }

        LiteDB.LiteDatabase? database = null;
        try
        {
            database = StorageExtensions.OpenDatabase(storage);
        }
        catch (InvalidOperationException)
        {
            // In use: a running server backs itself up.
        }
        catch (StoreVersionException ex)
        {
            error.WriteLine(ex.Message);
            return CliStorage.StoreTooNew;
        }

        if (database is not null)
        {
            using (database)
            {
                Report(StoreBackup.Copy(database, storage.DatabasePath, file), "", output);
            }
        }
        else if (await BackupThroughServerAsync(storage, file, output, error, client, cancellationToken) is var code and not 0)
        {
            return code;
        }

        // After the store, from the data directory itself in both cases (the files are never changed once written).
        var photos = MediaBackup.Copy(Path.Combine(Path.GetFullPath(storage.DataDir), Media.MediaExtensions.FolderName), MediaBackup.FolderFor(file));
        if (photos is not null)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Copied the photos to {photos.Folder}: {photos.Files} files ({photos.Copied} new or changed), {photos.Bytes / 1048576.0:0.0} MB. Keep this folder with the store backup."));
        }

        return 0;
    }

    public static int Restore(StorageOptions storage, string file, TextWriter output, TextWriter error)
    {
        if (!File.Exists(file))
        {
            error.WriteLine($"{file} does not exist. Nothing was restored.");
            return NotAStore;
        }

        var dataDir = Path.GetFullPath(storage.DataDir);
        System.IO.Directory.CreateDirectory(dataDir);
        FileStream lockFile;
        try
        {
            // The lock a server holds on its data directory (StorageExtensions.OpenDatabase): held until the restore is done.
            lockFile = new FileStream(storage.DatabasePath + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            error.WriteLine($"A CommunityBot server (or another command) is running on {dataDir}. Stop it first; nothing was restored.");
            return CliStorage.DatabaseInUse;
        }

        using (lockFile)
        {
            var incoming = storage.DatabasePath + ".restoring";
            File.Copy(file, incoming, overwrite: true);
            (int SchemaVersion, int Collections, long Documents) found;
            try
            {
                found = StoreBackup.Inspect(incoming);
            }
            catch (Exception ex) when (ex is LiteDB.LiteException or IOException or InvalidDataException or InvalidCastException)
            {
                Delete(incoming);
                error.WriteLine($"{file} is not a readable CommunityBot store ({ex.Message}). Nothing was restored.");
                return NotAStore;
            }

            if (found.SchemaVersion > StoreSchema.CurrentVersion)
            {
                Delete(incoming);
                error.WriteLine($"{file} was written by a newer CommunityBot (store schema version {found.SchemaVersion}; this build reads up to {StoreSchema.CurrentVersion}). Restore it with that build. Nothing was restored.");
                return CliStorage.StoreTooNew;
            }

            var kept = KeepPrevious(storage.DatabasePath);
            File.Move(incoming, storage.DatabasePath);
            output.WriteLine($"Restored {file} into {dataDir}: {found.Collections} collections, {found.Documents} documents, store schema version {found.SchemaVersion}.");
            if (found.SchemaVersion < StoreSchema.CurrentVersion)
            {
                output.WriteLine($"It is upgraded to schema version {StoreSchema.CurrentVersion} when the server (or a command) next opens it.");
            }

            output.WriteLine(kept is null ? "There was no store there before." : $"The store it replaced is kept as {kept}.");
            return 0;
        }
    }

    private static async Task<int> BackupThroughServerAsync(StorageOptions storage, string file, TextWriter output, TextWriter error, HttpClient? client, CancellationToken cancellationToken)
    {
        var control = ServerControlFile.Read(storage.DataDir);
        if (control is null || (client is null && control.Url is null))
        {
            error.WriteLine($"The data directory {Path.GetFullPath(storage.DataDir)} is in use, but no running server can be reached " +
                $"({ServerControlFile.FileName} is missing or names no address). If another command is running, wait for it; otherwise stop the server and run backup again.");
            return CliStorage.DatabaseInUse;
        }

        using var own = client is null ? new HttpClient { BaseAddress = new Uri(control.Url!), Timeout = Timeout.InfiniteTimeSpan } : null;
        var http = client ?? own!;
        using var request = new HttpRequestMessage(HttpMethod.Post, BackupEndpoints.BackupPath);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", control.Token);
        var full = Path.GetFullPath(file);
        var partial = full + ".partial";
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                error.WriteLine($"The server refused the backup ({(int)response.StatusCode}): {await response.Content.ReadAsStringAsync(cancellationToken)}");
                return 1;
            }

            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await using (var target = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            {
                await response.Content.CopyToAsync(target, cancellationToken);
                await target.FlushAsync(cancellationToken);
                target.Flush(flushToDisk: true);
            }
        }
        catch (HttpRequestException ex)
        {
            Delete(partial);
            error.WriteLine($"Could not reach the server at {control.Url} ({ex.Message}). Nothing was written.");
            return CliStorage.DatabaseInUse;
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        (int SchemaVersion, int Collections, long Documents) found;
        try
        {
            found = StoreBackup.Inspect(partial);
        }
        catch (Exception ex) when (ex is LiteDB.LiteException or IOException or InvalidDataException)
        {
            Delete(partial);
            error.WriteLine($"The copy the server sent is not readable ({ex.Message}); nothing was kept. Try again.");
            return 1;
        }

        File.Move(partial, full, overwrite: true);
        Report(new BackupResult(full, new FileInfo(full).Length, found.SchemaVersion, found.Collections, found.Documents, System.Diagnostics.Stopwatch.GetElapsedTime(started)), " (through the running server)", output);
        return 0;
    }

    private static void Report(BackupResult result, string how, TextWriter output) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Backed up the store{how} to {result.Path}: {result.Bytes / 1048576.0:0.0} MB, {result.Collections} collections, {result.Documents} documents, schema version {result.SchemaVersion}."));

    /// <summary>Moves the store (and its log, if a crash left one) aside as <c>communitybot.before-restore-TIME.db</c>.</summary>
    private static string? KeepPrevious(string databasePath)
    {
        if (!File.Exists(databasePath))
        {
            return null;
        }

        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var directory = Path.GetDirectoryName(databasePath)!;
        var name = Path.GetFileNameWithoutExtension(databasePath);
        var kept = Path.Combine(directory, $"{name}.before-restore-{stamp}.db");
        File.Move(databasePath, kept);
        // LiteDB's log is "NAME-log.db" beside "NAME.db": moved with it, the pair still opens as one store.
        var log = Path.Combine(directory, name + "-log.db");
        if (File.Exists(log))
        {
            File.Move(log, Path.Combine(directory, $"{name}.before-restore-{stamp}-log.db"));
        }

        return kept;
    }

    private static void Delete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }
}
