using CommunityBot.Notices;
using Microsoft.Extensions.Options;

namespace CommunityBot.Directory;

/// <summary>
/// At startup: imports the demo directory (丰和街道) into an empty directory, then loads the cache. The demo's leave
/// periods are moved by whole weeks so that its first one falls in the current week: the demo always has someone on
/// leave "this week", whenever it is first run. With it (<see cref="DirectoryOptions.DemoNotice"/>) comes one 停水
/// notice for 幸福里小区5号楼 from that first start for three days, so a newcomer can ask about it in the chat page.
/// </summary>
public sealed partial class DirectorySeeder(
    DirectoryStore store, GridDirectory directory, NoticeStore notices, IOptions<DirectoryOptions> options, TimeProvider time, ILogger<DirectorySeeder> logger)
    : IHostedService
{
    /// <summary>The demo directory's compound and building the demo notice is for.</summary>
    public const string DemoNoticeCompound = "xingfuli";
    public const string DemoNoticeBuilding = "5号楼";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (store.IsEmpty() && options.Value.DemoFile is { Length: > 0 } demo)
        {
            var path = Path.Combine(AppContext.BaseDirectory, demo);
            if (File.Exists(path))
            {
                directory.Replace(LeaveInCurrentWeek(DirectoryJson.Read(path), time.GetUtcNow(), options.Value.ResolveTimeZone()));
                LogSeeded(path);
                if (options.Value.DemoNotice && directory.Current.Compounds.TryGetValue(DemoNoticeCompound, out var compound))
                {
                    await notices.CreateAsync(DemoNotice(compound, time.GetUtcNow().UtcDateTime));
                }
            }
            else
            {
                LogNoDemo(path);
            }
        }
        var current = directory.Current;
        LogLoaded(current.Grids.Count, current.Compounds.Count, current.Workers.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static Notice DemoNotice(Compound compound, DateTime nowUtc) => new()
    {
        Title = "5号楼停水通知",
        Text = "因二次供水水箱清洗，5号楼暂停供水，请提前储水。水箱清洗后即恢复供水。",
        Category = "水电气暖",
        Keywords = [.. NoticeKeywords.Defaults("水电气暖", "停水通知")],
        CommunityId = compound.Community,
        Places = [new NoticePlace { CompoundId = compound.Id, CompoundName = compound.Name, Buildings = [DemoNoticeBuilding] }],
        StartUtc = nowUtc,
        EndUtc = nowUtc.AddDays(3),
        Author = "演示数据",
        CreatedUtc = nowUtc,
    };

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
