using CommunityBot.Cli;
using CommunityBot.Clocks;
using CommunityBot.Storage;

namespace CommunityBot.Tests.Clocks;

public sealed class CalendarCommandsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"cb-calcli-{Guid.NewGuid():N}");

    public CalendarCommandsTests() => System.IO.Directory.CreateDirectory(_dir);

    public void Dispose() => System.IO.Directory.Delete(_dir, recursive: true);

    [Fact]
    public void IsVerb_Calendar_IsAVerb() => Assert.True(CommandLineApp.IsVerb(["calendar", "list"]));

    [Fact]
    public async Task AddRunThenRemoveOne_ChangesOnlyThoseDays()
    {
        var (code, stdout, _) = await Run("calendar", "add", "2027-10-01", "国庆节", "--to", "2027-10-07");
        Assert.Equal(0, code);
        Assert.Contains("7 day(s)", stdout);
        Assert.Equal(0, (await Run("calendar", "add", "2027-10-09", "国庆节调休上班", "--workday")).Code);
        Assert.Equal(0, (await Run("calendar", "remove", "2027-10-07")).Code);

        var listed = (await Run("calendar", "list", "--year", "2027")).Out;
        Assert.Contains("2027-10-01\t放假\t国庆节", listed);
        Assert.Contains("2027-10-09\t上班\t国庆节调休上班", listed);
        Assert.DoesNotContain("2027-10-07", listed);
        Assert.Contains("7 days.", listed);
    }

    [Fact]
    public async Task Add_BadDate_ExitsTwoAndChangesNothing()
    {
        Assert.Equal(0, (await Run("calendar", "list")).Code);
        var before = Stored();
        var (code, _, stderr) = await Run("calendar", "add", "2027-13-01", "错误");
        Assert.Equal(2, code);
        Assert.StartsWith("Nothing was changed.", stderr);
        Assert.Equal(before, Stored());
    }

    [Fact]
    public async Task Remove_UnknownDate_SaysSo()
    {
        var (code, _, stderr) = await Run("calendar", "remove", "2031-03-03");
        Assert.Equal(1, code);
        Assert.Contains("not in the calendar", stderr);
    }

    private async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CommandLineApp.RunAsync([.. args, "--data-dir", Path.Combine(_dir, "data")], new StringReader(""), output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    private int Stored()
    {
        using var database = StorageExtensions.OpenDatabase(new StorageOptions { DataDir = Path.Combine(_dir, "data") });
        return new HolidayStore(database).All().Count;
    }
}
