using System.Globalization;
using CommunityBot.Dialogs.Understanding;
using CommunityBot.Understanding.Extractors;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CommunityBot.Tests.Understanding.Extractors;

/// <summary>
/// Issue 13 item 4: details through Microsoft.Recognizers.Text. The recognizers alone resolve what residents say against
/// a fixed message time (the mapping from their results to ours); <see cref="RecognizerCoverageTests"/> has what the
/// shipped extractor takes from them.
/// </summary>
public class RecognizerExtractionTests
{
    // Wednesday 26 November 2025, 15:00 Beijing time, as a channel stamps it (UTC).
    internal static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2025, 11, 26, 7, 0, 0, TimeSpan.Zero));
    internal static readonly TimeZoneInfo Beijing = TimeZoneInfo.CreateCustomTimeZone("Asia/Shanghai", TimeSpan.FromHours(8), "China Standard Time", "China Standard Time");

    private readonly DetailExtractor _recognizers = Extractor(DetailEngine.Recognizers);
    private readonly DetailExtractor _shipped = Extractor(DetailEngine.Combined);

    internal static DetailExtractor Extractor(DetailEngine engine) =>
        new(FakeDirectory.Instance, Options.Create(new DetailExtractionOptions { Engine = engine }), Beijing);

    // Start and end as "yyyy-MM-dd HH:mm" in +08:00, "" for none.
    [Theory]
    [InlineData("凌晨两点多还有人在唱歌", "2025-11-26 02:00", "", false)]
    [InlineData("上周三来修过一次", "2025-11-19 00:00", "2025-11-20 00:00", false)]
    [InlineData("下午三点半", "2025-11-26 15:30", "", false)]
    [InlineData("昨晚十点", "2025-11-25 22:00", "", false)]
    [InlineData("每天早上7点就开始装修", "2025-11-26 07:00", "", true)]
    [InlineData("星期五", "2025-11-21 00:00", "2025-11-22 00:00", false)]
    [InlineData("11月20号交的物业费", "2025-11-20 00:00", "2025-11-21 00:00", false)]
    [InlineData("10点左右", "2025-11-26 10:00", "", false)]
    [InlineData("晚上8点到10点广场舞太吵", "2025-11-25 20:00", "2025-11-25 22:00", false)]
    [InlineData("上周就反映过", "2025-11-17 00:00", "2025-11-24 00:00", false)]
    [InlineData("周一到周五都在施工", "2025-11-24 00:00", "2025-11-29 00:00", false)]
    public void Recognizers_Time_ResolveAgainstTheMessageTime(string text, string start, string end, bool recurring)
    {
        var when = _recognizers.Extract(text, Clock.GetUtcNow()).When;

        Assert.NotNull(when);
        Assert.Equal((start, end, recurring), (Format(when.Start), Format(when.End), when.Recurring));
    }

    [Fact]
    public void Recognizers_EveryEvening_IsARecurrence()
    {
        var when = _recognizers.Extract("每天晚上都有人遛狗不牵绳", Clock.GetUtcNow()).When;

        Assert.NotNull(when);
        Assert.True(when.Recurring);
        Assert.Equal("每天晚上", when.Text);
    }

    [Theory]
    [InlineData("三天了还没人来修", 3 * 24 * 60)]
    [InlineData("三天", 3 * 24 * 60)]
    [InlineData("半个月了", 15 * 24 * 60)]
    [InlineData("两个星期了没人管", 14 * 24 * 60)]
    [InlineData("等了两个小时", 120)]
    public void Recognizers_Duration_IsItsLength(string text, int minutes)
    {
        Assert.Equal(TimeSpan.FromMinutes(minutes), _recognizers.Extract(text, Clock.GetUtcNow()).Duration);
    }

    [Theory]
    [InlineData("电话13812345678", "13812345678")]
    [InlineData("138 1234 5678", "13812345678")]
    [InlineData("+86 13812345678", "13812345678")]
    [InlineData("物业座机(0371)66001234", "0371-66001234")]
    public void Recognizers_Phone_IsNormalisedLikeOurs(string text, string expected)
    {
        Assert.Equal([expected], _recognizers.Extract(text, Clock.GetUtcNow()).Phones);
    }

    [Fact]
    public void Shipped_AskedForAPlaceOnly_ReturnsOnlyThePlace()
    {
        var details = _shipped.Extract("幸福里3号楼昨晚十点停水了，电话13812345678", Clock.GetUtcNow(), DetailKinds.Location);

        Assert.Equal("3", details.Location?.Building);
        Assert.Null(details.When);
        Assert.Empty(details.Phones);
    }

    [Fact]
    public void Shipped_LongMessage_RecognizerReadsItInPieces()
    {
        var text = string.Concat(Enumerable.Repeat("楼下的空调外机一直在滴水，", 12)) + "国庆节前就坏了";

        var when = _shipped.Extract(text, Clock.GetUtcNow()).When;

        Assert.True(text.Length > RecognizedDateTime.ChunkLength);
        Assert.Equal("国庆节前", when?.Text);
        Assert.Equal(new DateTimeOffset(2025, 10, 1, 0, 0, 0, TimeSpan.FromHours(8)), when?.End);
    }

    [Fact]
    public void Shipped_PastTheRecognizersReach_OnlyOurRulesRead()
    {
        var filler = string.Concat(Enumerable.Repeat("楼下的空调外机一直在滴水，", 50));

        Assert.True(filler.Length > RecognizedDateTime.MaxLength);
        Assert.Null(_shipped.Extract(filler + "国庆节前就坏了", Clock.GetUtcNow()).When);
        Assert.Equal("昨晚十点", _shipped.Extract(filler + "昨晚十点就坏了", Clock.GetUtcNow()).When?.Text);
    }

    [Fact]
    public void Shipped_ManyThreads_GiveTheSameAnswerThroughTheRecognizers()
    {
        const string text = "国庆节前就坏了，电话+86-371-66001234";
        var expected = _shipped.Extract(text, Clock.GetUtcNow());

        Parallel.For(0, 64, _ =>
        {
            var actual = _shipped.Extract(text, Clock.GetUtcNow());
            Assert.Equal(expected.When, actual.When);
            Assert.Equal(expected.Phones, actual.Phones);
        });
        Assert.Equal(["0371-66001234"], expected.Phones);
    }

    [Fact]
    public void AddDetailExtraction_UtcMessageTime_ResolvesInTheOfficeTimeZone()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["DetailExtraction:WarmUp"] = "false" });
        builder.AddDetailExtraction();
        using var host = builder.Build();
        var extractor = host.Services.GetRequiredService<IDetailExtractor>();

        // 07:00 UTC is 15:00 in Beijing: "昨晚十点" is 22:00 on the 25th there, not 22:00 UTC (06:00 on the 26th in Beijing).
        var when = extractor.Extract("昨晚十点", Clock.GetUtcNow()).When;

        Assert.Equal(new DateTimeOffset(2025, 11, 25, 22, 0, 0, TimeSpan.FromHours(8)), when?.Start);
    }

    [Fact]
    public void AddDetailExtraction_EngineFromConfiguration_IsUsed()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DetailExtraction:Engine"] = "Ours",
            ["DetailExtraction:WarmUp"] = "false",
        });
        builder.AddDetailExtraction();
        using var host = builder.Build();

        Assert.Null(host.Services.GetRequiredService<IDetailExtractor>().Extract("国庆节前就坏了", Clock.GetUtcNow()).When);
    }

    internal static string Format(DateTimeOffset? value)
    {
        if (value is not { } v)
        {
            return "";
        }

        Assert.Equal(TimeSpan.FromHours(8), v.Offset);
        return v.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
    }
}
