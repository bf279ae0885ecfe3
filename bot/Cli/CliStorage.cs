using System.ComponentModel.DataAnnotations;
using CommunityBot.Storage;
using LiteDB;

namespace CommunityBot.Cli;

/// <summary>What every admin verb shares: the data directory, the database lock and the server's settings.</summary>
public static class CliStorage
{
    /// <summary>Exit code when another process (the server) holds the data directory.</summary>
    public const int DatabaseInUse = 3;

    /// <summary>Exit code when the store was written by a newer build (its schema version is past this build's).</summary>
    public const int StoreTooNew = 4;

    /// <summary>--data-dir, else CommunityBot__DataDir, else "data" (the server's default).</summary>
    public static StorageOptions Storage(string? dataDir) => new()
    {
        DataDir = dataDir
            ?? (Environment.GetEnvironmentVariable("CommunityBot__DataDir") is { Length: > 0 } fromEnvironment ? fromEnvironment : "data"),
    };

    /// <summary>Opens the data directory's database for <paramref name="action"/>; exit code 3 with the reason when it is in use.</summary>
    public static int WithDatabase(string? dataDir, TextWriter error, Func<LiteDatabase, int> action)
    {
        LiteDatabase database;
        try
        {
            database = StorageExtensions.OpenDatabase(Storage(dataDir));
        }
        catch (InvalidOperationException ex)
        {
            error.WriteLine(ex.Message);
            return DatabaseInUse;
        }
        catch (StoreVersionException ex)
        {
            error.WriteLine(ex.Message);
            return StoreTooNew;
        }

        using (database)
        {
            return action(database);
        }
    }

    /// <summary>The configuration the server reads: appsettings.json next to the executable, then environment variables.</summary>
    public static IConfiguration Configuration() => new ConfigurationBuilder()
        .SetBasePath(AppContext.BaseDirectory)
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables()
        .Build();

    /// <summary>One section of the server's settings, validated as the server validates it.</summary>
    public static T Settings<T>(string section) where T : new()
    {
        var options = Configuration().GetSection(section).Get<T>() ?? new T();
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        return options;
    }
}
