using System.Text;
using System.Text.Json;
using CommunityBot.Cli;

namespace CommunityBot.Tests.Understanding.Nlu;

public sealed class NluTrainCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"cb-nlu-train-{Guid.NewGuid():N}");

    public NluTrainCommandTests() => System.IO.Directory.CreateDirectory(_dir);

    public void Dispose() => System.IO.Directory.Delete(_dir, recursive: true);

    private string DataDir => Path.Combine(_dir, "data");
    private string CategoryModel => Path.Combine(DataDir, "category.zip");

    private async Task<(int Code, string Out, string Err)> Run(string stdin, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CommandLineApp.RunAsync([.. args, "--data-dir", DataDir], new StringReader(stdin), output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    private string Csv(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    // An office's own scheme: three labels unknown to the default taxonomy.
    private static string OfficeCases()
    {
        var text = new StringBuilder("text,label\n");
        string[] noise = ["楼上半夜跺脚", "广场舞音响太吵", "工地夜里施工吵", "KTV唱到凌晨", "楼下装修电钻声", "狗叫了一整夜", "半夜有人喊叫", "酒吧音乐太响", "烧烤摊半夜喧哗", "空调外机轰轰响"];
        string[] water = ["家里停水了", "水管爆了漏水", "楼上漏水到我家", "自来水发黄", "水压太低没水", "下水道反水", "卫生间渗水", "水表一直滴水", "热水管不出水", "暖气片漏水"];
        string[] parking = ["车位被人占了", "门口乱停车", "电动车堵了通道", "外来车随便停", "车库出口被堵", "路边违停", "僵尸车占车位", "停车费乱收", "消防通道停满车", "地锁占车位"];
        foreach (var (label, rows) in new[] { ("噪音", noise), ("用水", water), ("停车", parking) })
        {
            foreach (var row in rows)
            {
                text.Append(row).Append(',').Append(label).Append('\n');
            }
        }
        return text.ToString();
    }

    [Fact]
    public async Task NluTrain_SmallCsv_ReportsMetricsSavesTheModelAndClassifyUsesItsLabels()
    {
        var (code, stdout, stderr) = await Run("", "nlu", "train", Csv("cases.csv", OfficeCases()));

        Assert.True(code == 0, stderr);
        Assert.Contains("macro-F1", stdout);
        Assert.Contains("precision", stdout);
        Assert.Matches(@"噪音\s+\d\.\d{3}\s+\d\.\d{3}\s+\d\.\d{3}\s+2", stdout);
        Assert.Contains("Held back 6 of 30 rows", stdout);
        Assert.True(File.Exists(CategoryModel));

        var (classifyCode, lines, _) = await Run("楼上漏水到我家了 天花板都湿了\n", "classify");

        Assert.Equal(0, classifyCode);
        using var json = JsonDocument.Parse(lines.Split('\n')[0]);
        Assert.Equal("用水", json.RootElement.GetProperty("category").GetString());
        Assert.InRange(json.RootElement.GetProperty("categoryScore").GetDouble(), 0.0, 1.0);
    }

    [Theory]
    [InlineData("text,category\n楼上吵,噪音\n", "header")]
    [InlineData("text,label\n楼上吵,噪音\n车位被占,停车\n漏水了,\n", "line 4")]
    [InlineData("text,label\n楼上吵,噪音\n车位被占,停车\n门口乱停,停车\n", "\"噪音\"")]
    [InlineData("text,label\n楼上吵,噪音\n半夜吵,噪音\n", "only one label")]
    [InlineData("", "empty")]
    public async Task NluTrain_BadFile_FailsClearlyAndKeepsTheModel(string csv, string expectedInMessage)
    {
        Assert.Equal(0, (await Run("", "nlu", "train", Csv("good.csv", OfficeCases()))).Code);
        var before = File.ReadAllBytes(CategoryModel);

        var (code, _, stderr) = await Run("", "nlu", "train", Csv("bad.csv", csv));

        Assert.Equal(2, code);
        Assert.Contains("Nothing was trained or replaced", stderr);
        Assert.Contains(expectedInMessage, stderr);
        Assert.Equal(before, File.ReadAllBytes(CategoryModel));
    }

    [Fact]
    public async Task NluTrain_Xlsx_TrainsLikeCsv()
    {
        var path = Path.Combine(_dir, "cases.xlsx");
        var rows = OfficeCases().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(line => line.Split(','))
            .Select(cells => new Dictionary<string, object> { ["text"] = cells[0], ["label"] = cells[1] })
            .ToList();
        MiniExcelLibs.MiniExcel.SaveAs(path, rows);

        var (code, stdout, stderr) = await Run("", "nlu", "train", path);

        Assert.True(code == 0, stderr);
        Assert.Contains("Held back 6 of 30 rows", stdout);
        Assert.True(File.Exists(CategoryModel));
    }

    [Fact]
    public async Task NluTrain_UnsupportedExtension_FailsClearly()
    {
        var (code, _, stderr) = await Run("", "nlu", "train", Csv("cases.txt", OfficeCases()));

        Assert.Equal(2, code);
        Assert.Contains(".csv or .xlsx", stderr);
        Assert.False(File.Exists(CategoryModel));
    }
}
