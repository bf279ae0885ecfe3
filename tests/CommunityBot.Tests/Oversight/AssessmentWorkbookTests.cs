using CommunityBot.Oversight;
using CommunityBot.Tickets;
using MiniExcelLibs;
using static CommunityBot.Tests.Oversight.AssessmentFixture;

namespace CommunityBot.Tests.Oversight;

public sealed class AssessmentWorkbookTests
{
    [Fact]
    public void Write_Result_EveryTableReadsBack()
    {
        var result = Compute(
        [
            Ticket("A", "g1", "w1", TicketStatus.Closed, events: [At(10, TicketEventKind.Signed), At(60, TicketEventKind.Closed), At(70, TicketEventKind.Confirmed, "解决：是；满意：否")]),
            Ticket("B", "g2", "w2", TicketStatus.Pending, category: "环境卫生"),
        ], new AssessmentOptions { MinimumVolume = 1 });
        using var stream = new MemoryStream();

        AssessmentWorkbook.Write(stream, result);

        stream.Position = 0;
        Assert.Equal(
            [AssessmentWorkbook.UnitsSheet, AssessmentWorkbook.WorkersSheet, AssessmentWorkbook.GridRankingSheet, AssessmentWorkbook.WorkerRankingSheet,
             AssessmentWorkbook.ListsSheet, AssessmentWorkbook.TimesSheet, AssessmentWorkbook.ByDaySheet, AssessmentWorkbook.ByCategorySheet],
            MiniExcel.GetSheetNames(stream));
        var units = Rows(stream, AssessmentWorkbook.UnitsSheet);
        Assert.Equal(result.Units.Count, units.Count);
        var g1 = units.Single(r => (string)r["编号"]! == "g1");
        Assert.Equal("网格", g1["层级"]);
        Assert.Equal("东社区", g1["上级"]);
        Assert.Equal(1.0, Convert.ToDouble(g1["件数"]));
        Assert.Equal(100.0, Convert.ToDouble(g1["解决率%"]));
        Assert.Equal(0.0, Convert.ToDouble(g1["满意率%"]));
        var g3 = units.Single(r => (string)r["编号"]! == "g3");
        Assert.Null(g3["响应率%"]); // no tickets: no rate, not 0 %
        Assert.Equal(2, Rows(stream, AssessmentWorkbook.WorkersSheet).Count);
        Assert.Equal(3, Rows(stream, AssessmentWorkbook.GridRankingSheet).Count);
        Assert.Equal(30, Rows(stream, AssessmentWorkbook.ByDaySheet).Count);
        Assert.Equal(["噪音", "环境卫生"], Rows(stream, AssessmentWorkbook.ByCategorySheet).Select(r => (string)r["类别"]!));
        Assert.Contains(Rows(stream, AssessmentWorkbook.ListsSheet), r => (string)r["榜单"]! == "红榜" && (string)r["编号"]! == "g1");
        Assert.Equal((2 + 7) + (2 + 6), Rows(stream, AssessmentWorkbook.TimesSheet).Count);
    }

    [Fact]
    public void Write_EmptyResult_WritesHeadersOnlyWorkbook()
    {
        using var stream = new MemoryStream();

        AssessmentWorkbook.Write(stream, Compute([]));

        stream.Position = 0;
        Assert.Equal(6, Rows(stream, AssessmentWorkbook.UnitsSheet).Count);
        Assert.Empty(Rows(stream, AssessmentWorkbook.ByCategorySheet));
    }

    private static List<IDictionary<string, object?>> Rows(Stream stream, string sheet)
    {
        stream.Position = 0;
        return stream.Query(useHeaderRow: true, sheetName: sheet).Cast<IDictionary<string, object?>>().ToList();
    }
}
