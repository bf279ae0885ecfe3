using Microsoft.Extensions.Options;

namespace CommunityBot.Directory;

/// <summary>
/// At startup: imports the demo directory (丰和街道) into an empty directory, then loads the cache. The demo's leave
/// periods are moved by whole weeks so that its first one falls in the current week: the demo always has someone on
/// leave "this week", whenever it is first run.
/// </summary>
public sealed partial class DirectorySeeder(
    DirectoryStore store, GridDirectory directory, IOptions<DirectoryOptions> options, TimeProvider time, ILogger<DirectorySeeder> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (store.IsEmpty() && options.Value.DemoFile is { Length: > 0 } demo)
        {
            var path = Path.Combine(AppContext.BaseDirectory, demo);
            if (File.Exists(path))
            {
                directory.Replace(LeaveInCurrentWeek(DirectoryJson.Read(path), time.GetUtcNow(), options.Value.ResolveTimeZone()));
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

    /// <summary>Moves every leave period by the same whole number of weeks so that the first one starts in the week of <paramref name="now"/>.</summary>
    public static DirectoryData LeaveInCurrentWeek(DirectoryData data, DateTimeOffset now, TimeZoneInfo zone)
    {
        if (data.Leave.Count == 0)
        {
            return data;
        }
        static DateOnly Monday(DateTime local) => DateOnly.FromDateTime(local).AddDays(-(((int)local.DayOfWeek + 6) % 7));
        var days = Monday(TimeZoneInfo.ConvertTime(now, zone).DateTime).DayNumber
            - Monday(TimeZoneInfo.ConvertTime(data.Leave[0].Start, zone).DateTime).DayNumber;
        DateTimeOffset Move(DateTimeOffset moment)
        {
            var local = TimeZoneInfo.ConvertTime(moment, zone).DateTime.AddDays(days);
            return new DateTimeOffset(local, zone.GetUtcOffset(local));
        }
        return data with { Leave = [.. data.Leave.Select(l => l with { Start = Move(l.Start), End = Move(l.End) })] };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Empty grid directory: imported the demo directory from {Path}")]
    private partial void LogSeeded(string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Empty grid directory and no demo file at {Path}")]
    private partial void LogNoDemo(string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Grid directory ready: {Grids} grids, {Compounds} compounds, {Workers} workers")]
    private partial void LogLoaded(int grids, int compounds, int workers);
}
