using CommunityBot.Media;

namespace CommunityBot.Backup;

/// <summary>
/// Copies the tickets' photos (DATA_DIR/media: one file per photo, named by its SHA-256, and the link-signing key) beside a
/// store backup. Run after the store is copied: a photo's file is written before its record says it is stored, so every
/// photo the copied store calls stored has its file here by then. A photo's file is never changed once written, so one already
/// in the destination under its name is the same photo and is not copied again (repeated backups to one place add only the new).
/// </summary>
public static class MediaBackup
{
    /// <summary>The folder a backup to <paramref name="backupFile"/> keeps the photos in: <c>FILE.media</c>, beside it.</summary>
    public static string FolderFor(string backupFile) => Path.GetFullPath(backupFile) + "." + MediaExtensions.FolderName;

    /// <summary>
    /// Copies the photos and the key in <paramref name="mediaFolder"/> to <paramref name="destination"/>; null when there is
    /// no media folder (no photo was ever kept). Leftover temporary files are not copied.
    /// </summary>
    public static MediaBackupResult? Copy(string mediaFolder, string destination)
    {
        if (!System.IO.Directory.Exists(mediaFolder))
        {
            return null;
        }

        System.IO.Directory.CreateDirectory(destination);
        int files = 0, copied = 0;
        long bytes = 0;
        foreach (var source in System.IO.Directory.EnumerateFiles(mediaFolder))
        {
            var name = Path.GetFileName(source);
            if (!IsPhotoFile(name) && name != MediaSigner.KeyFileName)
            {
                continue;
            }

            var target = Path.Combine(destination, name);
            var length = new FileInfo(source).Length;
            files++;
            bytes += length;
            var key = name == MediaSigner.KeyFileName;
            if (!key && File.Exists(target) && new FileInfo(target).Length == length)
            {
                continue; // the same photo (its name is its hash); the key is small and copied every time
            }

            CopyFile(source, target, ownerOnly: key);
            copied++;
        }

        return new MediaBackupResult(destination, files, copied, bytes);
    }

    private static bool IsPhotoFile(string name) => name.Length == 64 && name.All(char.IsAsciiHexDigitLower);

    // Through a temporary name, so that an interrupted copy never leaves a torn photo under its hash.
    private static void CopyFile(string source, string target, bool ownerOnly)
    {
        var temp = target + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (ownerOnly && !OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // the signing key, as in the data directory
        }

        try
        {
            using (var from = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var to = new FileStream(temp, create))
            {
                from.CopyTo(to);
                to.Flush(flushToDisk: true);
            }

            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            File.Delete(temp); // gone already after the move
        }
    }
}

/// <summary>What a photo backup holds: where, how many files (and how many were new this time), and their size.</summary>
public sealed record MediaBackupResult(string Folder, int Files, int Copied, long Bytes);
