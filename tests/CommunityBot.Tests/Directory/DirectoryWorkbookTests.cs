using CommunityBot.Directory;
using MiniExcelLibs;
using static CommunityBot.Tests.Directory.DirectoryFixture;

namespace CommunityBot.Tests.Directory;

public sealed class DirectoryWorkbookTests : IDisposable
{
    private static readonly TimeZoneInfo Zone = new DirectoryOptions().ResolveTimeZone();

    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"cb-dir-{Guid.NewGuid():N}");

    public DirectoryWorkbookTests() => System.IO.Directory.CreateDirectory(_dir);

    public void Dispose() => System.IO.Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    /// <summary>Writes the fixture, then lets <paramref name="change"/> edit one sheet's rows (header excluded).</summary>
    private string WorkbookWith(string sheet, Action<List<Dictionary<string, object?>>> change)
    {
        var good = PathOf("good.xlsx");
        DirectoryWorkbook.Write(good, Data() with { Leave = [Leave("g1", 23, 26)] }, Zone);
        var sheets = new Dictionary<string, object>();
        foreach (var name in MiniExcel.GetSheetNames(good))
        {
            var rows = MiniExcel.Query(good, useHeaderRow: true, sheetName: name)
                .Cast<IDictionary<string, object?>>()
                .Select(r => new Dictionary<string, object?>(r))
                .ToList();
            if (name == sheet)
            {
                change(rows);
            }
            sheets[name] = rows;
        }
        var path = PathOf("edited.xlsx");
        MiniExcel.SaveAs(path, sheets, overwriteFile: true);
        return path;
    }

    [Fact]
    public void WriteThenRead_Fixture_RoundTripsEveryField()
    {
        var data = Data() with { Leave = [Leave("g1", 23, 26), new LeavePeriod { WorkerId = "c1", Start = Local(24, 13, 30), End = Local(24, 18) }] };
        var path = PathOf("dir.xlsx");

        DirectoryWorkbook.Write(path, data, Zone);
        var (read, _) = DirectoryWorkbook.Read(path, Zone);

        Assert.Equal(DirectoryJson.Write(data), DirectoryJson.Write(read));
        Assert.Equal(["communities", "grids", "compounds", "workers", "roster", "leave", "departments"], MiniExcel.GetSheetNames(path));
    }

    [Fact]
    public void WriteThenRead_InactiveWorker_StaysInactive()
    {
        var data = Data();
        data = data with { Workers = [.. data.Workers.Select(w => w.Id == "g1" ? w with { Active = false } : w)] };
        var path = PathOf("inactive.xlsx");

        DirectoryWorkbook.Write(path, data, Zone);
        var (read, _) = DirectoryWorkbook.Read(path, Zone);

        Assert.Equal(["g1"], read.Workers.Where(w => !w.Active).Select(w => w.Id));
    }

    [Fact]
    public void WriteThenRead_DemoDirectory_RoundTrips()
    {
        var demo = DirectoryJson.Read(Path.Combine(AppContext.BaseDirectory, "Data", "demo-directory.json"));
        var path = PathOf("demo.xlsx");

        DirectoryWorkbook.Write(path, demo, Zone);
        var (read, _) = DirectoryWorkbook.Read(path, Zone);

        Assert.Equal(DirectoryJson.Write(demo), DirectoryJson.Write(read));
    }

    [Fact]
    public void Read_HandWrittenCells_AcceptsCommonSpellings()
    {
        var path = WorkbookWith("compounds", rows =>
        {
            rows[0]["buildings"] = "1-3栋、4号楼，5号, 6幢";
            rows[0]["grids"] = "G1：1-3号楼；G2: 4-6号楼";
            rows[0]["aliases"] = "甲，甲苑";
        });

        var compound = DirectoryWorkbook.Read(path, Zone).Data.Compounds[0];

        Assert.Equal(["1号楼", "2号楼", "3号楼", "4号楼", "5号楼", "6号楼"], compound.Buildings);
        Assert.Equal(["4号楼", "5号楼", "6号楼"], compound.BuildingGrids[1].Buildings);
        Assert.Equal(["甲", "甲苑"], compound.Aliases);
    }

    [Fact]
    public void Read_BareLeaveDates_CoverWholeDaysInOfficeTime()
    {
        var path = WorkbookWith("leave", rows =>
        {
            rows[0]["start"] = "2026-11-23";
            rows[0]["end"] = "2026/11/25";
        });

        var leave = Assert.Single(DirectoryWorkbook.Read(path, Zone).Data.Leave);

        Assert.Equal(Local(23, 0), leave.Start);
        Assert.Equal(Local(26, 0), leave.End);
        Assert.Equal(TimeSpan.FromHours(8), leave.End.Offset);
    }

    [Fact]
    public void Read_RosterDays_AcceptsIsoWeekdaysWithSundayAsSeven()
    {
        var path = WorkbookWith("roster", rows => rows[1]["days"] = "6-7");

        var shift = DirectoryWorkbook.Read(path, Zone).Data.Roster[1];

        Assert.Equal([DayOfWeek.Saturday, DayOfWeek.Sunday], shift.Days);
    }

    [Theory]
    [InlineData("grids", 2, "worker", "nobody", "Sheet grids, row 4, column worker: no worker \"nobody\" on sheet workers.")]
    [InlineData("compounds", 0, "grids", "G1: 1-3号楼; G9: 4-6号楼", "Sheet compounds, row 2, column grids: no grid \"G9\" on sheet grids.")]
    [InlineData("compounds", 0, "grids", "G1: 1-4号楼; G2: 4-6号楼", "Sheet compounds, row 2, column grids: 4号楼 is given to more than one grid.")]
    [InlineData("compounds", 1, "community", "C7", "Sheet compounds, row 3, column community: no community \"C7\" on sheet communities.")]
    [InlineData("workers", 3, "role", "boss", "Sheet workers, row 5, column role: \"boss\" is not a role; use grid, community or street.")]
    [InlineData("workers", 1, "id", "g1", "Sheet workers, row 3, column id: \"g1\" is used twice on this sheet.")]
    [InlineData("roster", 0, "start", "25:00", "Sheet roster, row 2, column start: \"25:00\" is not a time of day; write e.g. 08:30.")]
    [InlineData("roster", 2, "days", "1-8", "Sheet roster, row 4, column days: \"1-8\" is not a weekday or range; use 1 (Monday) to 7 (Sunday), e.g. 1-5 or 6,7.")]
    [InlineData("leave", 0, "end", "2026-11-01", "Sheet leave, row 2, column end: must be after start.")]
    [InlineData("leave", 0, "start", "next week", "Sheet leave, row 2, column start: \"next week\" is not a date; write e.g. 2026-11-23 or 2026-11-23 08:30 (office local time).")]
    [InlineData("departments", 1, "name", "", "Sheet departments, row 3, column name: empty; every row needs one.")]
    public void Read_BadCell_NamesSheetRowAndColumn(string sheet, int row, string column, string value, string message)
    {
        var path = WorkbookWith(sheet, rows => rows[row][column] = value);

        var ex = Assert.Throws<DirectoryFormatException>(() => DirectoryWorkbook.Read(path, Zone));

        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void Read_UnknownColumn_NamesIt()
    {
        var path = WorkbookWith("grids", rows => rows.ForEach(r => r["wokrer"] = "x"));

        var ex = Assert.Throws<DirectoryFormatException>(() => DirectoryWorkbook.Read(path, Zone));

        Assert.StartsWith("Sheet grids, row 1: unknown column \"wokrer\"", ex.Message);
    }

    [Fact]
    public void Read_MissingSheet_SaysWhichOnesAreNeeded()
    {
        var path = PathOf("partial.xlsx");
        MiniExcel.SaveAs(path, new Dictionary<string, object> { ["communities"] = new[] { new { id = "C1", name = "一社区", street_office = "测试街道办事处" } } });

        var ex = Assert.Throws<DirectoryFormatException>(() => DirectoryWorkbook.Read(path, Zone));

        Assert.StartsWith("The sheet \"grids\" is missing", ex.Message);
    }

    [Fact]
    public void Read_NotAWorkbook_SaysSo()
    {
        var path = PathOf("fake.xlsx");
        File.WriteAllText(path, "id,name\n");

        var ex = Assert.Throws<DirectoryFormatException>(() => DirectoryWorkbook.Read(path, Zone));

        Assert.Contains("not a readable .xlsx workbook", ex.Message);
    }
}
