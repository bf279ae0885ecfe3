using CommunityBot.Directory;
using CommunityBot.Faq;

namespace CommunityBot.Understanding;

/// <summary>
/// At startup: imports the demo knowledge base into an empty <c>faq</c> collection, then builds the FAQ index. Runs after
/// the directory's seeder (Program adds the directory first), so the demo's per-compound answers find their compounds.
/// </summary>
/// <param name="directory">Absent in a host without the directory: the demo's per-place answers are then left out.</param>
public sealed partial class FaqSeeder(FaqStore store, FaqMatcher matcher, ILogger<FaqSeeder> logger, GridDirectory? directory = null) : IHostedService
{
    public const string DemoFile = "Data/demo-faq.csv";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Seed(store, directory?.Current ?? new DirectorySnapshot(new DirectoryData()), Path.Combine(AppContext.BaseDirectory, DemoFile), logger);
        var entries = store.Enabled();
        matcher.Reload(entries);
        LogIndexed(entries.Count, matcher.PhrasingCount);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Imports <paramref name="path"/> when the knowledge base is empty; returns how many entries it imported. A per-place
    /// answer for a place <paramref name="directory"/> does not have (an office's own directory) is left out: the general
    /// answer stands there.
    /// </summary>
    public static int Seed(FaqStore store, DirectorySnapshot directory, string path, ILogger logger)
    {
        if (store.Count() > 0)
        {
            return 0;
        }
        if (!File.Exists(path))
        {
            LogNoDemo(logger, path);
            return 0;
        }
        var entries = FaqFileFormat.Read(path);
        var dropped = 0;
        foreach (var entry in entries)
        {
            dropped += entry.Variants.RemoveAll(v => FaqScopes.Find(directory, v.Written ?? "") is null);
        }
        FaqScopes.Resolve(entries, directory);
        store.ReplaceAll(entries);
        LogSeeded(logger, entries.Count, path);
        if (dropped > 0)
        {
            LogVariantsDropped(logger, dropped);
        }
        return entries.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "FAQ index ready: {Entries} entries, {Phrasings} phrasings")]
    private partial void LogIndexed(int entries, int phrasings);

    [LoggerMessage(Level = LogLevel.Information, Message = "Empty knowledge base: imported {Count} demo entries from {Path}")]
    private static partial void LogSeeded(ILogger logger, int count, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} per-compound demo answers left out: the grid directory has no such compound or community")]
    private static partial void LogVariantsDropped(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Empty knowledge base and no demo file at {Path}")]
    private static partial void LogNoDemo(ILogger logger, string path);
}
