using CommunityBot.Directory;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CommunityBot.Tests.Directory;

/// <summary>
/// A small, fictional directory built in code: community C1 with grids G1 and G2 sharing 甲小区 (1-3号楼 / 4-6号楼)
/// and grid G4 without a roster; community C2 (no staff) with grid G3 on an overnight roster. Monday is 2026-11-23.
/// </summary>
internal static class DirectoryFixture
{
    public static readonly TimeSpan China = TimeSpan.FromHours(8);

    /// <summary>A moment in the office's local time (UTC+8).</summary>
    public static DateTimeOffset Local(int day, int hour, int minute = 0, int second = 0) => new(2026, 11, day, hour, minute, second, China);

    public static DirectoryData Data() => new()
    {
        StreetOffice = new StreetOffice { Name = "测试街道办事处", Phone = "0371-66000000" },
        Communities =
        [
            new Community { Id = "C1", Name = "一社区", Phone = "0371-66001000" },
            new Community { Id = "C2", Name = "二社区" },
        ],
        Grids =
        [
            new Grid { Id = "G1", Name = "一社区一网格", Community = "C1", WorkerId = "g1", DeputyWorkerId = "g2" },
            new Grid { Id = "G2", Name = "一社区二网格", Community = "C1", WorkerId = "g2", DeputyWorkerId = "g1" },
            new Grid { Id = "G3", Name = "二社区一网格", Community = "C2", WorkerId = "g3" },
            new Grid { Id = "G4", Name = "一社区三网格", Community = "C1", WorkerId = "g4", DeputyWorkerId = "g1" },
        ],
        Compounds =
        [
            new Compound
            {
                Id = "jia", Name = "甲小区", Aliases = ["甲"], Community = "C1",
                Buildings = ["1号楼", "2号楼", "3号楼", "4号楼", "5号楼", "6号楼"], GridId = "G1",
                BuildingGrids =
                [
                    new BuildingAssignment { GridId = "G1", Buildings = ["1号楼", "2号楼", "3号楼"] },
                    new BuildingAssignment { GridId = "G2", Buildings = ["4号楼", "5号楼", "6号楼"] },
                ],
            },
            new Compound { Id = "yi", Name = "乙小区", Community = "C2", Buildings = ["1号楼", "2号楼"], GridId = "G3" },
            new Compound { Id = "ding", Name = "丁小区", Aliases = ["丁家园", "丁"], Community = "C1", Buildings = ["1号楼"], GridId = "G4" },
        ],
        Workers =
        [
            new Worker { Id = "g1", Name = "王芳", Role = WorkerRole.Grid, Community = "C1", Phone = "13800000101", WebChatUserId = "worker-wangfang", WeComUserId = "wangfang" },
            new Worker { Id = "g2", Name = "李强", Role = WorkerRole.Grid, Community = "C1", Phone = "13800000102", TeamsUserId = "29:liqiang", AadObjectId = "00000000-0000-0000-0000-000000000102", TenantId = "tenant-1" },
            new Worker { Id = "g3", Name = "赵敏", Role = WorkerRole.Grid, Community = "C2", Phone = "13800000103" },
            new Worker { Id = "g4", Name = "孙丽", Role = WorkerRole.Grid, Community = "C1", Phone = "13800000104", DeputyWorkerId = "g2" },
            new Worker { Id = "c1", Name = "郑伟", Role = WorkerRole.Community, Community = "C1", Phone = "0371-66001234" },
            new Worker { Id = "s1", Name = "马骏", Role = WorkerRole.Street, Phone = "0371-66000101" },
        ],
        Roster =
        [
            Shift("G1", "g1", [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday], 8, 30, 17, 30),
            Shift("G1", "g2", [DayOfWeek.Saturday, DayOfWeek.Sunday], 9, 0, 17, 0),
            Shift("G2", "g2", [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday], 8, 30, 17, 30),
            Shift("G3", "g3", [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday], 20, 0, 8, 0),
        ],
        Departments =
        [
            new Department { Id = "police", Name = "测试派出所", Categories = ["治安民警"], Contact = "值班室", Phone = "0371-66009110" },
            new Department { Id = "power", Name = "测试供电所", Categories = ["水电气暖-电"], Contact = "抢修班" },
            new Department { Id = "chengguan", Name = "测试城管中队", Categories = ["市容环卫", "市政管养"] },
        ],
    };

    public static LeavePeriod Leave(string workerId, int fromDay, int toDayExclusive) =>
        new() { WorkerId = workerId, Start = Local(fromDay, 0), End = Local(toDayExclusive, 0), Reason = "年休假" };

    public static GridDirectory NewDirectory(ILiteDatabase? database = null) =>
        new(new DirectoryStore(database ?? new LiteDatabase(new MemoryStream())), NullLogger<GridDirectory>.Instance);

    public static TicketRouter Router(DirectoryData data)
    {
        var directory = NewDirectory();
        directory.Replace(data);
        return new TicketRouter(directory, Options.Create(new DirectoryOptions()));
    }

    private static DutyShift Shift(string grid, string worker, List<DayOfWeek> days, int h1, int m1, int h2, int m2) =>
        new() { GridId = grid, WorkerId = worker, Days = days, Start = new TimeOnly(h1, m1), End = new TimeOnly(h2, m2) };
}
