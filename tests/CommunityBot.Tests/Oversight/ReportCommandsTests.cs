using CommunityBot.Cli;
using CommunityBot.Oversight;
using CommunityBot.Storage;
using CommunityBot.Tickets;
using MiniExcelLibs;
using static CommunityBot.Tests.Oversight.AssessmentFixture;

namespace CommunityBot.Tests.Oversight;

public sealed class ReportCommandsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"cb-report-{Guid.NewGuid():N}");

    public ReportCommandsTests() => System.IO.Directory.CreateDirectory(_dir);

    public void Dispose() => System.IO.Directory.Delete(_dir, recursive: true);

    private string DataDir => Path.Combine(_dir, "data");

    private async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CommandLineApp.RunAsync([.. args, "--data-dir", DataDir], new StringReader(""), output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task ReportMonth_StoredTickets_WritesWorkbookAndSummary()
    {
        using (var database = StorageExtensions.OpenDatabase(new StorageOptions { DataDir = DataDir }))
        {
            database.GetCollection<Ticket>("tickets").InsertBulk(
            [
                Ticket("A", "g1", "w1", TicketStatus.Closed, events: [At(10, TicketEventKind.Signed), At(60, TicketEventKind.Closed), At(70, TicketEventKind.Confirmed, "解决：是；满意：是")]),
                Ticket("B", "g1", "w1", TicketStatus.Pending),
            ]);
        }

        var path = Path.Combine(_dir, "2026-11.xlsx");
        var (code, output, error) = await Run("report", "month", "2026-11", "--out", path);

        Assert.True(code == 0, error);
        Assert.Contains("2026-11: 2 tickets", output, StringComparison.Ordinal);
        Assert.Contains("解决率 100.0%", output, StringComparison.Ordinal);
        Assert.DoesNotContain("13800000000", output, StringComparison.Ordinal);
        var units = MiniExcel.Query(path, useHeaderRow: true, sheetName: AssessmentWorkbook.UnitsSheet).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(2.0, Convert.ToDouble(units[0]["件数"]));
        Assert.False(File.Exists(path + ".partial"));
    }

    [Theory]
    [InlineData("2026-13", "is not a month")]
    [InlineData("November", "is not a month")]
    public async Task ReportMonth_BadMonth_ClearErrorAndNoFile(string month, string message)
    {
        var path = Path.Combine(_dir, "out.xlsx");

        var (code, _, error) = await Run("report", "month", month, "--out", path);

        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task ReportMonth_NotXlsx_ClearErrorAndNoFile()
    {
        var path = Path.Combine(_dir, "out.csv");

        var (code, _, error) = await Run("report", "month", "2026-11", "--out", path);

        Assert.Equal(2, code);
        Assert.Contains(".xlsx", error, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void IsVerb_Report_IsAdminVerb() => Assert.True(CommandLineApp.IsVerb(["--data-dir", "x", "report", "month", "2026-11"]));
}
