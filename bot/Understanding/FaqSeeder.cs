using CommunityBot.Faq;

namespace CommunityBot.Understanding;

/// <summary>
/// At startup: imports the demo knowledge base into an empty <c>faq</c> collection, then builds the FAQ index.
/// </summary>
public sealed partial class FaqSeeder(FaqStore store, FaqMatcher matcher, ILogger<FaqSeeder> logger) : IHostedService
{
    public const string DemoFile = "Data/demo-faq.csv";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Seed(store, Path.Combine(AppContext.BaseDirectory, DemoFile), logger);
        var entries = store.Enabled();
        matcher.Reload(entries);
        LogIndexed(entries.Count, matcher.PhrasingCount);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Imports <paramref name="path"/> when the knowledge base is empty; returns how many entries it imported.</summary>
    public static int Seed(FaqStore store, string path, ILogger logger)
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
        store.ReplaceAll(entries);
        LogSeeded(logger, entries.Count, path);
        return entries.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "FAQ index ready: {Entries} entries, {Phrasings} phrasings")]
    private partial void LogIndexed(int entries, int phrasings);

    [LoggerMessage(Level = LogLevel.Information, Message = "Empty knowledge base: imported {Count} demo entries from {Path}")]
    private static partial void LogSeeded(ILogger logger, int count, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Empty knowledge base and no demo file at {Path}")]
    private static partial void LogNoDemo(ILogger logger, string path);
}
