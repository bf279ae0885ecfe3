using System.Text.Json;
using CommunityBot.Cli;
using CommunityBot.Storage;

namespace CommunityBot.Tests.Cli;

public sealed class CommandLineAppTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"cb-cli-{Guid.NewGuid():N}");

    public CommandLineAppTests() => System.IO.Directory.CreateDirectory(_dir);

    public void Dispose() => System.IO.Directory.Delete(_dir, recursive: true);

    private async Task<(int Code, string Out, string Err)> Run(string stdin, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CommandLineApp.RunAsync([.. args, "--data-dir", Path.Combine(_dir, "data")], new StringReader(stdin), output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    private string Csv(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    private const string Kb = "id,question,similar,answer\n" +
        "property-phone,物业电话是多少,\"怎么联系物业\n物业服务中心的联系方式\",0371-1234567\n" +
        "garbage,垃圾分类投放时间,\"几点可以扔垃圾\n垃圾桶什么时候开放\",早7点到9点\n" +
        "water-outage,停水了怎么办,\"家里没水了找谁\",请查看停水公告\n";

    [Theory]
    [InlineData(new[] { "faq", "import", "x.csv" }, true)]
    [InlineData(new[] { "--data-dir", "d", "classify" }, true)]
    [InlineData(new[] { "--urls", "http://127.0.0.1:5080" }, false)]
    [InlineData(new string[0], false)]
    public void IsVerb_Args_DetectsVerbs(string[] args, bool expected)
    {
        Assert.Equal(expected, CommandLineApp.IsVerb(args));
    }

    [Fact]
    public async Task Classify_Messages_WritesOneObjectPerLineInTheDesignShape()
    {
        Assert.Equal(0, (await Run("", "faq", "import", Csv("kb.csv", Kb))).Code);

        var (code, stdout, _) = await Run("物业电话是多少\n明天会下雪吗\n", "classify");

        Assert.Equal(0, code);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        var root = first.RootElement;
        Assert.Equal(["text", "intent", "faq", "suggestions", "category", "categoryScore"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("物业电话是多少", root.GetProperty("text").GetString());
        Assert.Equal("faq", root.GetProperty("intent").GetString());
        Assert.Equal("property-phone", root.GetProperty("faq").GetProperty("id").GetString());
        Assert.InRange(root.GetProperty("faq").GetProperty("score").GetDouble(), 0, 1);
        // The best category is given for every intent but chit-chat (see Classifier.Write).
        Assert.Equal("物业管理", root.GetProperty("category").GetString());
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal("other", second.RootElement.GetProperty("intent").GetString());
        Assert.Equal(JsonValueKind.Null, second.RootElement.GetProperty("faq").ValueKind);
    }

    [Fact]
    public async Task Classify_Stats_BreaksTheTimeDownByStage()
    {
        Assert.Equal(0, (await Run("", "faq", "import", Csv("kb.csv", Kb))).Code);

        var (code, stdout, stderr) = await Run("物业电话是多少\n你好\n几点可以扔垃圾\n", "classify", "--stats");

        Assert.Equal(0, code);
        Assert.Equal(3, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("classify: 3 entries (8 phrasings)", StringComparison.Ordinal) && l.Contains("3 messages"));
        Assert.Contains(lines, l => l.Contains("per message (mean): read") && l.Contains("FAQ match alone p50"));
        Assert.Contains(lines, l => l.Contains("GC: gen0") && l.Contains("KiB allocated per message"));
    }

    [Fact]
    public async Task Import_WithoutReplace_UpsertsAndWithReplace_Replaces()
    {
        await Run("", "faq", "import", Csv("kb.csv", Kb));
        await Run("", "faq", "import", Csv("more.csv", "id,question,answer\nnew-one,新问题,新答案\ngarbage,垃圾什么时候扔,改过的答案\n"));
        var export = Path.Combine(_dir, "out.csv");
        await Run("", "faq", "export", export);
        var upserted = File.ReadAllText(export);

        await Run("", "faq", "import", Csv("only.csv", "id,question,answer\nonly,唯一问题,唯一答案\n"), "--replace");
        await Run("", "faq", "export", export);
        var replaced = File.ReadAllText(export);

        Assert.Contains("property-phone", upserted);
        Assert.Contains("new-one", upserted);
        Assert.Contains("改过的答案", upserted);
        Assert.DoesNotContain("property-phone", replaced);
        Assert.Contains("only,唯一问题", replaced);
    }

    [Fact]
    public async Task FaqDuplicates_ListsTheNearDuplicatePairAndRefusesABadThreshold()
    {
        await Run("", "faq", "import", Csv("kb.csv", Kb + "phone-again,物业的电话是多少,,0371-1234567\n"));

        var (code, output, error) = await Run("", "faq", "duplicates");
        var (badCode, _, badError) = await Run("", "faq", "duplicates", "--min", "1.5");

        Assert.Equal(0, code);
        Assert.Equal("1.000\tphone-again\t物业的电话是多少\tproperty-phone\t物业电话是多少", output.TrimEnd());
        Assert.Contains("1 pairs of 4 enabled entries", error);
        Assert.Equal(2, badCode);
        Assert.Contains("--min", badError);
    }

    [Fact]
    public async Task Import_BadRow_ImportsNothingAndFails()
    {
        await Run("", "faq", "import", Csv("kb.csv", Kb));

        var (code, _, stderr) = await Run("", "faq", "import", Csv("bad.csv", "id,question,answer\nfine,好问题,好答案\nbroken,,没有问题\n"), "--replace");

        Assert.NotEqual(0, code);
        Assert.Contains("Line 3, column question", stderr);
        var export = Path.Combine(_dir, "out.csv");
        await Run("", "faq", "export", export);
        Assert.Contains("property-phone", File.ReadAllText(export));
        Assert.DoesNotContain("fine", File.ReadAllText(export));
    }

    [Fact]
    public async Task AnyVerb_DataDirInUse_FailsWithAClearMessage()
    {
        // What a running server holds.
        using var held = StorageExtensions.OpenDatabase(new StorageOptions { DataDir = Path.Combine(_dir, "data") });

        var (code, _, stderr) = await Run("", "faq", "import", Csv("kb.csv", Kb));

        Assert.NotEqual(0, code);
        Assert.Contains("in use", stderr);
    }
}
