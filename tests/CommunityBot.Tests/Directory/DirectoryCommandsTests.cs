using CommunityBot.Cli;
using CommunityBot.Directory;
using CommunityBot.Storage;
using static CommunityBot.Tests.Directory.DirectoryFixture;

namespace CommunityBot.Tests.Directory;

public sealed class DirectoryCommandsTests : IDisposable
{
    private static readonly TimeZoneInfo Zone = new DirectoryOptions().ResolveTimeZone();

    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"cb-dircli-{Guid.NewGuid():N}");

    public DirectoryCommandsTests() => System.IO.Directory.CreateDirectory(_dir);

    public void Dispose() => System.IO.Directory.Delete(_dir, recursive: true);

    private async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CommandLineApp.RunAsync([.. args, "--data-dir", Path.Combine(_dir, "data")], new StringReader(""), output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    private DirectoryData Stored()
    {
        using var database = StorageExtensions.OpenDatabase(new StorageOptions { DataDir = Path.Combine(_dir, "data") });
        return new DirectoryStore(database).Load();
    }

    [Fact]
    public void IsVerb_Directory_IsAVerb()
    {
        Assert.True(CommandLineApp.IsVerb(["directory", "import", "x.xlsx"]));
    }

    [Fact]
    public async Task ImportThenExport_Workbook_RoundTrips()
    {
        var source = Path.Combine(_dir, "in.xlsx");
        var data = Data() with { Leave = [Leave("g1", 23, 26)] };
        DirectoryWorkbook.Write(source, data, Zone);

        var (code, stdout, _) = await Run("directory", "import", source);
        Assert.Equal(0, code);
        Assert.Contains("2 communities, 4 grids, 3 compounds, 6 workers, 4 roster lines, 1 leave periods, 3 departments", stdout);

        var exported = Path.Combine(_dir, "out.xlsx");
        Assert.Equal(0, (await Run("directory", "export", exported)).Code);
        Assert.Equal(DirectoryJson.Write(data), DirectoryJson.Write(DirectoryWorkbook.Read(exported, Zone).Data));
    }

    [Fact]
    public async Task Import_BadRow_ExitsWithErrorAndReplacesNothing()
    {
        var good = Path.Combine(_dir, "good.xlsx");
        DirectoryWorkbook.Write(good, Data(), Zone);
        Assert.Equal(0, (await Run("directory", "import", good)).Code);
        var bad = Data();
        bad.Grids[3] = bad.Grids[3] with { WorkerId = "nobody" };
        bad.Compounds.RemoveAt(0);
        var badPath = Path.Combine(_dir, "bad.xlsx");
        DirectoryWorkbook.Write(badPath, bad, Zone);

        var (code, _, stderr) = await Run("directory", "import", badPath);

        Assert.Equal(2, code);
        Assert.Contains("Nothing was changed. Sheet grids, row 5, column worker: no worker \"nobody\" on sheet workers.", stderr);
        Assert.Equal(3, Stored().Compounds.Count);
    }

    [Fact]
    public async Task Import_MissingFile_ExitsWithError()
    {
        var (code, _, stderr) = await Run("directory", "import", Path.Combine(_dir, "none.xlsx"));

        Assert.Equal(2, code);
        Assert.Contains("no such file", stderr);
    }

    [Fact]
    public async Task Export_NotXlsx_ExitsWithError()
    {
        var (code, _, stderr) = await Run("directory", "export", Path.Combine(_dir, "out.csv"));

        Assert.Equal(2, code);
        Assert.Contains("use an .xlsx workbook", stderr);
    }
}
