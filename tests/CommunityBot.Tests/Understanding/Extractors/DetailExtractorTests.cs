using CommunityBot.Dialogs.Directory;
using CommunityBot.Dialogs.Understanding;
using CommunityBot.Understanding.Extractors;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CommunityBot.Tests.Understanding.Extractors;

public class DetailExtractorTests
{
    private static readonly DateTimeOffset Now = new(2025, 11, 26, 15, 0, 0, TimeSpan.FromHours(8));
    private readonly DetailExtractor _extractor = new(FakeDirectory.Instance);

    [Fact]
    public void Extract_LeakReportWithPhone_FindsPlaceAndPhone()
    {
        var details = _extractor.Extract("幸福里3号楼2单元501漏水到楼下了，电话13812345678", Now);

        Assert.Equal(["13812345678"], details.Phones);
        Assert.NotNull(details.Location);
        Assert.Equal("xfl", details.Location.CompoundId);
        Assert.Equal("幸福里小区", details.Location.CompoundName);
        Assert.Equal("3", details.Location.Building);
        Assert.Equal("2", details.Location.Unit);
        Assert.Equal("501", details.Location.Room);
        Assert.Null(details.When);
        Assert.Empty(details.Counts);
    }

    [Fact]
    public void Extract_NoiseComplaint_FindsBuildingAndNightlyRecurrence()
    {
        var details = _extractor.Extract("5号楼楼下烧烤店天天半夜吵得睡不着", Now);

        Assert.Equal("5", details.Location?.Building);
        Assert.NotNull(details.When);
        Assert.True(details.When.Recurring);
        Assert.Equal(23, details.When.Start?.Hour);
        Assert.Empty(details.Phones);
    }

    [Fact]
    public void Extract_GuardComplaint_FindsLandmarkAndYesterdayTenPm()
    {
        var details = _extractor.Extract("东门岗亭的保安昨晚十点不让外卖进", Now);

        Assert.Equal("东门岗亭", details.Location?.Landmark);
        Assert.Equal(new DateTimeOffset(2025, 11, 25, 22, 0, 0, TimeSpan.FromHours(8)), details.When?.Start);
    }

    [Fact]
    public void Extract_VoiceInputWithEverything_FindsEachPart()
    {
        var details = _extractor.Extract("柳岸花园２栋电梯坏了三天了，昨天下午困了两个人，我电话138 1234 5678", Now);

        Assert.Equal(["13812345678"], details.Phones);
        Assert.Equal("lahy", details.Location?.CompoundId);
        Assert.Equal("2", details.Location?.Building);
        Assert.Equal("电梯", details.Location?.Landmark);
        Assert.Equal(TimeSpan.FromDays(3), details.Duration);
        Assert.Equal(new DateTimeOffset(2025, 11, 25, 13, 0, 0, TimeSpan.FromHours(8)), details.When?.Start);
        var count = Assert.Single(details.Counts);
        Assert.Equal((2, "个人"), (count.Value, count.Unit));
    }

    [Fact]
    public void Extract_PhoneDigits_AreNotReadAsRoomsOrCounts()
    {
        var details = _extractor.Extract("3号楼 13812345678", Now);

        Assert.Equal("3", details.Location?.Building);
        Assert.Null(details.Location?.Room);
        Assert.Empty(details.Counts);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("你好")]
    [InlineData("谢谢👍")]
    public void Extract_NothingToFind_ReturnsEmpty(string text)
    {
        Assert.Same(MessageDetails.Empty, _extractor.Extract(text, Now));
    }

    [Fact]
    public void Extract_ManyThreads_GiveTheSameAnswer()
    {
        var expected = _extractor.Extract("幸福里3号楼2单元501漏水到楼下了，电话13812345678", Now);

        Parallel.For(0, 200, _ =>
        {
            var actual = _extractor.Extract("幸福里3号楼2单元501漏水到楼下了，电话13812345678", Now);
            Assert.Equal(expected.Location, actual.Location);
            Assert.Equal(expected.Phones, actual.Phones);
        });
    }

    [Fact]
    public void AddDetailExtraction_NoDirectoryRegistered_StillResolves()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddDetailExtraction();
        using var host = builder.Build();

        var extractor = host.Services.GetRequiredService<IDetailExtractor>();

        Assert.Equal("3", extractor.Extract("幸福里3号楼", Now).Location?.Building);
        Assert.Null(extractor.Extract("幸福里3号楼", Now).Location?.CompoundId);
    }

    [Fact]
    public void AddDetailExtraction_DirectoryRegistered_UsesIt()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IDirectory>(FakeDirectory.Instance);
        builder.AddDetailExtraction();
        using var host = builder.Build();

        var extractor = host.Services.GetRequiredService<IDetailExtractor>();

        Assert.Equal("xfl", extractor.Extract("幸福里3号楼", Now).Location?.CompoundId);
    }

    [Fact]
    public void AddDetailExtraction_BlankLandmark_FailsValidation()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DetailExtraction:Landmarks:0"] = "北门",
            ["DetailExtraction:Landmarks:1"] = " ",
        });
        builder.AddDetailExtraction();
        using var host = builder.Build();

        Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IDetailExtractor>());
    }
}
