using CommunityBot.Directory;
using CommunityBot.Notices;
using CommunityBot.Storage;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static CommunityBot.Tests.Directory.DirectoryFixture;

namespace CommunityBot.Tests.Directory;

public sealed class GridDirectoryTests
{
    [Fact]
    public void Compounds_EmptyStore_IsEmpty()
    {
        Assert.Empty(NewDirectory().Compounds());
    }

    [Fact]
    public void Compounds_AfterReplace_ReflectsTheImport()
    {
        var directory = NewDirectory();
        directory.Replace(Data());
        Assert.Equal(["甲小区", "乙小区", "丁小区"], directory.Compounds().Select(c => c.Name));

        var data = Data();
        data.Compounds.Add(new Compound { Id = "wu", Name = "戊小区", Aliases = ["戊"], Community = "C2", Buildings = ["1号楼"], GridId = "G3" });
        directory.Replace(data);

        var added = directory.Compounds()[^1];
        Assert.Equal("戊小区", added.Name);
        Assert.Equal("二社区", added.Community);
        Assert.Equal(["戊"], added.Aliases);
        Assert.Equal(["1号楼"], added.Buildings);
    }

    [Fact]
    public void Replace_InvalidData_ThrowsAndKeepsTheOldDirectory()
    {
        using var database = new LiteDatabase(new MemoryStream());
        var directory = NewDirectory(database);
        directory.Replace(Data());
        var bad = Data();
        bad.Compounds.Add(new Compound { Id = "wu", Name = "戊小区", Community = "C2", GridId = "G9" });

        var ex = Assert.Throws<DirectoryFormatException>(() => directory.Replace(bad));

        Assert.Equal("Compounds[3].grids: no grid \"G9\" on sheet grids.", ex.Message);
        Assert.Equal(3, directory.Compounds().Count);
        Assert.Equal(3, NewDirectory(database).Compounds().Count);
    }

    [Fact]
    public void Replace_Stored_IsReadBackByANewInstance()
    {
        using var database = new LiteDatabase(new MemoryStream());
        var data = Data() with { Leave = [Leave("g1", 23, 26)] };
        NewDirectory(database).Replace(data);

        var reloaded = NewDirectory(database).Current.Data;

        Assert.Equal(DirectoryJson.Write(data), DirectoryJson.Write(reloaded));
    }

    [Fact]
    public void Reload_AfterChangeByAnotherInstance_ServesTheChange()
    {
        using var database = new LiteDatabase(new MemoryStream());
        var server = NewDirectory(database);
        server.Replace(Data());
        var data = Data();
        data.Compounds.RemoveAt(2);
        NewDirectory(database).Replace(data);
        Assert.Equal(3, server.Compounds().Count);

        server.Reload();

        Assert.Equal(2, server.Compounds().Count);
    }

    [Theory]
    [InlineData(WorkerChannels.WebChat, "worker-wangfang", "g1")]
    [InlineData(WorkerChannels.WeCom, "wangfang", "g1")]
    [InlineData(WorkerChannels.Teams, "29:liqiang", "g2")]
    [InlineData(WorkerChannels.AadObject, "00000000-0000-0000-0000-000000000102", "g2")]
    [InlineData(WorkerChannels.WebChat, "resident-1", null)]
    [InlineData(WorkerChannels.WeCom, "worker-wangfang", null)]
    public void FindWorker_ChannelIdentity_FindsTheWorker(string channel, string userId, string? expected)
    {
        var directory = NewDirectory();
        directory.Replace(Data());

        Assert.Equal(expected, directory.Current.FindWorker(channel, userId)?.Id);
    }

    [Fact]
    public void DemoDirectory_Validates_AndRoutesXingfuliAsDescribed()
    {
        var demo = DirectoryJson.Read(Path.Combine(AppContext.BaseDirectory, "Data", "demo-directory.json"));
        var directory = NewDirectory();
        directory.Replace(demo);
        var router = new TicketRouter(directory, Options.Create(new DirectoryOptions()));

        Assert.Equal("丰和街道办事处", demo.StreetOffice.Name);
        Assert.Equal(3, demo.Communities.Count);
        Assert.Equal(8, demo.Grids.Count);
        Assert.Contains(directory.Compounds(), c => c.Name == "幸福里小区" && c.Aliases.Contains("幸福里") && c.Buildings.Count == 12);
        Assert.All(demo.Workers, w => Assert.False(string.IsNullOrEmpty(w.WebChatUserId)));
        var tuesday = new DateTimeOffset(2026, 12, 1, 10, 0, 0, China);
        Assert.Equal("幸福里小区3号楼属于丰和里一网格，当班网格员王芳", router.Route("幸福里", "3栋", "其他", tuesday).Reason);
        Assert.Equal("FH-01-02", router.Route("幸福里", "9号楼", "其他", tuesday).GridId);
        Assert.Contains(router.Route("幸福里", "3栋", "水电气暖-电", tuesday).CoHandlers, d => d.Name.Contains("供电所", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Seeder_EmptyStore_ImportsTheDemo_AndLeavesAFilledStoreAlone()
    {
        using var database = new LiteDatabase(new MemoryStream());
        var store = new DirectoryStore(database);
        var directory = new GridDirectory(store, NullLogger<GridDirectory>.Instance);
        var time = new FakeTimeProvider(new DateTimeOffset(2027, 3, 10, 9, 0, 0, China)); // a Wednesday
        var notices = new NoticeStore(database, new LiteDbWriter(database, NullLogger<LiteDbWriter>.Instance));
        var seeder = new DirectorySeeder(store, directory, notices, Options.Create(new DirectoryOptions()), time, NullLogger<DirectorySeeder>.Instance);

        await seeder.StartAsync(CancellationToken.None);
        Assert.Contains(directory.Compounds(), c => c.Name == "柳岸花园");
        var leave = directory.Current.Data.Leave[0];
        Assert.Equal(new DateTimeOffset(2027, 3, 8, 0, 0, 0, China), leave.Start);
        Assert.True(leave.Covers(time.GetUtcNow()));
        var notice = Assert.Single(notices.InForce(time.GetUtcNow().UtcDateTime));
        Assert.Equal(("xingfuli", "FH-01"), (Assert.Single(notice.Places).CompoundId, notice.CommunityId));
        Assert.Equal(["5号楼"], notice.Places[0].Buildings);
        Assert.Equal(time.GetUtcNow().UtcDateTime.AddDays(3), notice.EndUtc);

        directory.Replace(Data());
        await seeder.StartAsync(CancellationToken.None);
        Assert.DoesNotContain(directory.Compounds(), c => c.Name == "柳岸花园");
        Assert.Single(notices.All()); // a second start posts no second notice
    }

    [Theory]
    [InlineData("2026-11-23T00:00:00+08:00", "2026-11-23T00:00:00+08:00")] // Monday of the demo's own week: unchanged
    [InlineData("2026-11-29T23:59:00+08:00", "2026-11-23T00:00:00+08:00")] // Sunday night is still that week
    [InlineData("2026-11-29T16:00:00Z", "2026-11-30T00:00:00+08:00")] // Monday 00:00 in UTC+8, still Sunday in UTC
    [InlineData("2026-10-01T12:00:00+08:00", "2026-09-28T00:00:00+08:00")] // earlier weeks too
    public void LeaveInCurrentWeek_Now_MovesLeaveByWholeWeeksInOfficeTime(string now, string expectedStart)
    {
        var nextWeek = new LeavePeriod { WorkerId = "g2", Start = Local(30, 0), End = Local(30, 0).AddDays(1) };
        var data = Data() with { Leave = [Leave("g1", 23, 26), nextWeek] };
        var zone = new DirectoryOptions().ResolveTimeZone();

        var moved = DirectorySeeder.LeaveInCurrentWeek(data, DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), zone);

        var start = DateTimeOffset.Parse(expectedStart, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(start, moved.Leave[0].Start);
        Assert.Equal(China, moved.Leave[0].Start.Offset);
        Assert.Equal(start.AddDays(3), moved.Leave[0].End);
        Assert.Equal(start.AddDays(7), moved.Leave[1].Start);
    }
}
