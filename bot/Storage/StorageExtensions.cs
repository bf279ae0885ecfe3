using LiteDB;
using Microsoft.Extensions.Options;

namespace CommunityBot.Storage;

/// <summary>Registers the one LiteDB database the whole process shares.</summary>
public static class StorageExtensions
{
    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ILiteDatabase>(sp => OpenDatabase(
            sp.GetRequiredService<IOptions<StorageOptions>>().Value,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StoreSchema))));
        builder.Services.AddSingleton<LiteDbWriter>();
        return builder;
    }

    /// <summary>
    /// Opens (creating if needed) the database file in Direct mode: one process owns it. An older store is upgraded in
    /// place (<see cref="StoreSchema"/>); one written by a newer build is refused with <see cref="StoreVersionException"/>.
    /// </summary>
    public static LiteDatabase OpenDatabase(StorageOptions options, ILogger? logger = null)
    {
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(options.DatabasePath)!);
        var connection = new ConnectionString
        {
            Filename = options.DatabasePath,
            Connection = ConnectionType.Direct,
        };
        // LiteDB's Direct mode takes only a shared lock on Linux, so a second process could open the same file
        // and corrupt it: an exclusive lock file held for the database's lifetime keeps a second process out.
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(options.DatabasePath + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException(
                $"The data directory {options.DataDir} is in use by another CommunityBot process (a running server?). Stop it first, or use a different --data-dir.", ex);
        }
        LiteDatabase? database = null;
        try
        {
            database = new LockedLiteDatabase(connection, lockFile);
            StoreSchema.Upgrade(database, options.DatabasePath, logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
            return database;
        }
        catch
        {
            if (database is null)
            {
                lockFile.Dispose();
            }
            else
            {
                database.Dispose(); // releases the lock file too
            }

            throw;
        }
    }

    private sealed class LockedLiteDatabase(ConnectionString connection, FileStream lockFile) : LiteDatabase(connection)
    {
        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (disposing)
            {
                lockFile.Dispose();
            }
        }
    }
}
