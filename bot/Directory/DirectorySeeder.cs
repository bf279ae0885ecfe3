using Microsoft.Extensions.Options;

namespace CommunityBot.Directory;

/// <summary>At startup: imports the demo directory (丰和街道) into an empty directory, then loads the cache.</summary>
public sealed partial class DirectorySeeder(
    DirectoryStore store, GridDirectory directory, IOptions<DirectoryOptions> options, ILogger<DirectorySeeder> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (store.IsEmpty() && options.Value.DemoFile is { Length: > 0 } demo)
        {
            var path = Path.Combine(AppContext.BaseDirectory, demo);
            if (File.Exists(path))
            {
                directory.Replace(DirectoryJson.Read(path));
                LogSeeded(path);
            }
            else
            {
                LogNoDemo(path);
            }
        }
        var current = directory.Current;
        LogLoaded(current.Grids.Count, current.Compounds.Count, current.Workers.Count);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Empty grid directory: imported the demo directory from {Path}")]
    private partial void LogSeeded(string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Empty grid directory and no demo file at {Path}")]
    private partial void LogNoDemo(string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Grid directory ready: {Grids} grids, {Compounds} compounds, {Workers} workers")]
    private partial void LogLoaded(int grids, int compounds, int workers);
}
