using CommunityBot.Directory;
using static CommunityBot.Tests.Directory.DirectoryFixture;

namespace CommunityBot.Tests.Directory;

public sealed class TicketRouterTests
{
    private static readonly DateTimeOffset TuesdayMorning = Local(24, 10);

    [Theory]
    [InlineData("3号楼", "G1", "g1")]
    [InlineData("3栋", "G1", "g1")]
    [InlineData("三号楼", "G1", "g1")]
    [InlineData("4号", "G2", "g2")]
    [InlineData("6幢", "G2", "g2")]
    public void Route_BuildingOfSplitCompound_GoesToTheGridCoveringIt(string building, string grid, string worker)
    {
        var decision = Router(Data()).Route("甲", building, "其他", TuesdayMorning);

        Assert.Equal(RoutingLevel.Grid, decision.Level);
        Assert.Equal(grid, decision.GridId);
        Assert.Equal(worker, decision.WorkerId);
        Assert.Equal("C1", decision.Community?.Id);
    }

    [Fact]
    public void Route_OnDuty_ReasonNamesBuildingGridAndWorker()
    {
        var decision = Router(Data()).Route("jia", "3栋", "其他", TuesdayMorning);

        Assert.Equal("甲小区3号楼属于一社区一网格，当班网格员王芳", decision.Reason);
        Assert.Equal("3号楼", decision.Building);
    }

    [Fact]
    public void Route_OnDutyWorkerInactive_GoesPastThemAsIfOnLeave()
    {
        var data = Data();
        data = data with { Workers = [.. data.Workers.Select(w => w.Id == "g1" ? w with { Active = false } : w)] };

        var decision = Router(data).Route("jia", "3栋", "其他", TuesdayMorning);

        Assert.NotEqual("g1", decision.WorkerId);
        Assert.NotNull(decision.WorkerId);
    }

    [Fact]
    public void Route_NoBuilding_UsesCompoundDefaultGrid()
    {
        var decision = Router(Data()).Route("甲小区", null, "其他", TuesdayMorning);

        Assert.Equal("G1", decision.GridId);
        Assert.Equal("g1", decision.WorkerId);
    }

    [Fact]
    public void Route_UnlistedBuildingOfSplitCompound_UsesDefaultGridAndSaysSo()
    {
        var decision = Router(Data()).Route("甲", "9号楼", "其他", TuesdayMorning);

        Assert.Equal("G1", decision.GridId);
        Assert.Contains("按小区默认属于一社区一网格", decision.Reason);
    }

    [Fact]
    public void Route_WeekendShift_GoesToTheWorkerOnTheRoster()
    {
        var decision = Router(Data()).Route("甲", "1号楼", "其他", Local(28, 10));

        Assert.Equal("g2", decision.WorkerId);
        Assert.Equal(RoutingLevel.Grid, decision.Level);
    }

    [Fact]
    public void Route_WorkerOnLeave_GoesToDeputy()
    {
        var data = Data() with { Leave = [Leave("g1", 23, 26)] };

        var decision = Router(data).Route("甲", "2号楼", "其他", TuesdayMorning);

        Assert.Equal(RoutingLevel.Grid, decision.Level);
        Assert.Equal("g2", decision.WorkerId);
        Assert.Equal("G1", decision.GridId);
        Assert.Equal("甲小区2号楼属于一社区一网格，网格员王芳休假，由李强代班", decision.Reason);
    }

    [Fact]
    public void Route_LeaveOver_GoesBackToWorker()
    {
        var data = Data() with { Leave = [Leave("g1", 23, 24)] };

        var decision = Router(data).Route("甲", "2号楼", "其他", TuesdayMorning);

        Assert.Equal("g1", decision.WorkerId);
    }

    [Fact]
    public void Route_WorkerAndDeputyOnLeave_GoesToCommunityStaff()
    {
        var data = Data() with { Leave = [Leave("g1", 23, 26), Leave("g2", 24, 25)] };

        var decision = Router(data).Route("甲", "2号楼", "其他", TuesdayMorning);

        Assert.Equal(RoutingLevel.Community, decision.Level);
        Assert.Equal("c1", decision.WorkerId);
        Assert.Equal("G1", decision.GridId);
        Assert.Equal("甲小区2号楼属于一社区一网格，网格员王芳休假且无人代班，转一社区郑伟", decision.Reason);
    }

    [Fact]
    public void Route_NobodyOnDuty_GoesToCommunityStaff()
    {
        var decision = Router(Data()).Route("甲", "5号楼", "其他", Local(24, 19));

        Assert.Equal(RoutingLevel.Community, decision.Level);
        Assert.Equal("c1", decision.WorkerId);
        Assert.Equal("G2", decision.GridId);
        Assert.Contains("当前不在网格值班时间", decision.Reason);
    }

    [Fact]
    public void Route_CommunityWithoutStaff_GoesToStreetButKeepsGridAndCommunity()
    {
        // G3 is on duty 20:00-08:00 only, and community C2 has no staff.
        var decision = Router(Data()).Route("乙小区", "1号楼", "其他", TuesdayMorning);

        Assert.Equal(RoutingLevel.Street, decision.Level);
        Assert.Equal("s1", decision.WorkerId);
        Assert.Equal("G3", decision.GridId);
        Assert.Equal("C2", decision.Community?.Id);
        Assert.EndsWith("二社区无人可接，转测试街道办事处马骏", decision.Reason);
    }

    [Fact]
    public void Route_GridWithoutRoster_UsesGridWorkerAtAnyTime()
    {
        var decision = Router(Data()).Route("丁家园", null, "其他", Local(29, 3));

        Assert.Equal(RoutingLevel.Grid, decision.Level);
        Assert.Equal("g4", decision.WorkerId);
        Assert.Equal("丁小区属于一社区三网格，网格员孙丽", decision.Reason);
    }

    [Fact]
    public void Route_GridWithoutRosterWorkerOnLeave_GoesToGridDeputy()
    {
        var data = Data() with { Leave = [Leave("g4", 23, 30)] };

        var decision = Router(data).Route("丁", null, "其他", TuesdayMorning);

        Assert.Equal("g1", decision.WorkerId);
        Assert.Contains("网格员孙丽休假，由王芳代班", decision.Reason);
    }

    [Fact]
    public void Route_UnknownCompound_GoesToStreetStaff()
    {
        var decision = Router(Data()).Route("不存在小区", "1号楼", "其他", TuesdayMorning);

        Assert.Equal(RoutingLevel.Street, decision.Level);
        Assert.Null(decision.Compound);
        Assert.Null(decision.GridId);
        Assert.Equal("s1", decision.WorkerId);
        Assert.Equal("目录中没有小区“不存在小区”，转测试街道办事处马骏", decision.Reason);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    public void Route_NoCompound_GoesToStreet(string? compound)
    {
        var decision = Router(Data()).Route(compound, null, "其他", TuesdayMorning);

        Assert.Equal(RoutingLevel.Street, decision.Level);
        Assert.StartsWith("未说明所在小区", decision.Reason);
    }

    [Fact]
    public void Route_StreetStaffOnLeave_GoesToStreetOfficeWithoutWorker()
    {
        var data = Data() with { Leave = [Leave("s1", 23, 30)] };

        var decision = Router(data).Route("不存在小区", null, "其他", TuesdayMorning);

        Assert.Equal(RoutingLevel.Street, decision.Level);
        Assert.Null(decision.Worker);
        Assert.Equal("目录中没有小区“不存在小区”，转测试街道办事处", decision.Reason);
    }

    [Theory]
    [InlineData("水电气暖-电", "power")]
    [InlineData("治安民警", "police")]
    [InlineData("市政管养", "chengguan")]
    public void Route_CategoryWithDepartment_AddsCoHandler(string category, string department)
    {
        var decision = Router(Data()).Route("甲", "1号楼", category, TuesdayMorning);

        Assert.Equal(department, Assert.Single(decision.CoHandlers).Id);
        Assert.Equal("g1", decision.WorkerId);
        Assert.Contains("；联动", decision.Reason);
    }

    [Fact]
    public void Route_PowerCategory_ReasonNamesDepartmentAndCategory()
    {
        var decision = Router(Data()).Route("甲", "1号楼", "水电气暖-电", TuesdayMorning);

        Assert.Equal("甲小区1号楼属于一社区一网格，当班网格员王芳；联动测试供电所（水电气暖-电）", decision.Reason);
    }

    [Theory]
    [InlineData("水电气暖")]
    [InlineData("水电气暖-水")]
    [InlineData("治安")]
    [InlineData("其他")]
    public void Route_CategoryWithoutDepartment_HasNoCoHandlers(string category)
    {
        var decision = Router(Data()).Route("甲", "1号楼", category, TuesdayMorning);

        Assert.Empty(decision.CoHandlers);
        Assert.DoesNotContain("联动", decision.Reason);
    }

    [Fact]
    public void Route_UnknownCompoundWithCategory_StillAddsCoHandler()
    {
        var decision = Router(Data()).Route(null, null, "治安民警", TuesdayMorning);

        Assert.Equal(RoutingLevel.Street, decision.Level);
        Assert.Equal("police", Assert.Single(decision.CoHandlers).Id);
    }

    [Theory]
    [InlineData("2026-11-24T08:29:59+08:00", "c1")]
    [InlineData("2026-11-24T08:30:00+08:00", "g1")]
    [InlineData("2026-11-24T00:30:00Z", "g1")] // the same instant as 08:30 in UTC+8
    [InlineData("2026-11-24T00:29:59Z", "c1")]
    [InlineData("2026-11-24T17:29:59+08:00", "g1")]
    [InlineData("2026-11-24T17:30:00+08:00", "c1")]
    [InlineData("2026-11-24T09:29:59Z", "g1")] // 17:29:59 in UTC+8
    [InlineData("2026-11-24T10:00:00+09:00", "g1")] // 09:00 in UTC+8
    [InlineData("2026-11-23T20:00:00-05:00", "g1")] // Tuesday 09:00 in UTC+8, still Monday in UTC-5
    [InlineData("2026-11-28T08:59:59+08:00", "c1")] // Saturday: the weekend shift starts at 09:00
    [InlineData("2026-11-28T09:00:00+08:00", "g2")]
    [InlineData("2026-11-28T01:00:00Z", "g2")]
    public void Route_RosterBoundaries_StartInclusiveEndExclusiveInOfficeTime(string at, string worker)
    {
        var decision = Router(Data()).Route("甲", "1号楼", "其他", DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(worker, decision.WorkerId);
    }

    [Theory]
    [InlineData("2026-11-24T19:59:59+08:00", RoutingLevel.Street)]
    [InlineData("2026-11-24T20:00:00+08:00", RoutingLevel.Grid)]
    [InlineData("2026-11-25T03:00:00+08:00", RoutingLevel.Grid)] // Tuesday's night shift into Wednesday
    [InlineData("2026-11-25T07:59:59+08:00", RoutingLevel.Grid)]
    [InlineData("2026-11-25T08:00:00+08:00", RoutingLevel.Street)]
    [InlineData("2026-11-28T03:00:00+08:00", RoutingLevel.Grid)] // Friday's night shift into Saturday
    [InlineData("2026-11-29T03:00:00+08:00", RoutingLevel.Street)] // no shift starts on Saturday
    [InlineData("2026-11-23T03:00:00+08:00", RoutingLevel.Street)] // nor on Sunday
    public void Route_OvernightShift_CoversTheNextMorning(string at, RoutingLevel level)
    {
        var decision = Router(Data()).Route("乙小区", null, "其他", DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(level, decision.Level);
    }

    [Theory]
    [InlineData("2026-11-25T15:59:59Z", "g1")] // 23:59:59 on the last day of leave in UTC+8: the deputy
    [InlineData("2026-11-25T16:00:00Z", "g4")] // office midnight: back from leave
    [InlineData("2026-11-22T15:59:59Z", "g4")] // just before the leave starts
    [InlineData("2026-11-22T16:00:00Z", "g1")]
    public void Route_LeaveBoundaries_AreOfficeMidnights(string at, string expected)
    {
        // G4 has no roster: its worker g4 (on leave Monday to Wednesday) or else the grid's deputy g1.
        var data = Data() with { Leave = [Leave("g4", 23, 26)] };

        var decision = Router(data).Route("丁", null, "其他", DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(expected, decision.WorkerId);
    }

    [Fact]
    public void Route_AnyPath_ReasonNeverContainsPhoneNumbers()
    {
        var data = Data() with { Leave = [Leave("g1", 23, 26), Leave("g2", 23, 26)] };
        var router = Router(data);
        string[] phones = [.. data.Workers.Select(w => w.Phone!), .. data.Departments.Where(d => d.Phone is not null).Select(d => d.Phone!)];
        var moments = new[] { TuesdayMorning, Local(24, 22), Local(28, 10) };
        foreach (var compound in new string?[] { "甲", "乙小区", "丁", "不存在", null })
        {
            foreach (var at in moments)
            {
                var reason = router.Route(compound, "2号楼", "水电气暖-电", at).Reason;
                Assert.DoesNotContain(phones, p => reason.Contains(p, StringComparison.Ordinal));
                Assert.DoesNotMatch(@"\d{7,}", reason);
            }
        }
    }

    [Fact]
    public void Route_DirectoryReplaced_UsesTheNewDirectory()
    {
        var directory = NewDirectory();
        directory.Replace(Data());
        var router = new TicketRouter(directory, Microsoft.Extensions.Options.Options.Create(new DirectoryOptions()));
        Assert.Equal("g1", router.Route("甲", "1号楼", "其他", TuesdayMorning).WorkerId);

        var moved = Data();
        moved.Grids[0] = moved.Grids[0] with { WorkerId = "g4" };
        moved.Roster.RemoveAll(s => s.GridId == "G1");
        directory.Replace(moved);

        Assert.Equal("g4", router.Route("甲", "1号楼", "其他", TuesdayMorning).WorkerId);
    }
}
