using CommunityBot.Understanding.Extractors;

namespace CommunityBot.Tests.Understanding.Extractors;

public class DurationExtractorTests
{
    private static readonly DateTimeOffset Now = new(2025, 11, 26, 15, 0, 0, TimeSpan.FromHours(8));
    private readonly DetailExtractor _extractor = new(FakeDirectory.Instance);

    // Vague amounts take their lower bound; a month is 30 days, a year 365.
    [Theory]
    [InlineData("三天了还没人来修", 3 * 24 * 60)]
    [InlineData("3天了", 3 * 24 * 60)]
    [InlineData("漏水一个多月了", 30 * 24 * 60)]
    [InlineData("两个星期了没人管", 14 * 24 * 60)]
    [InlineData("漏了一个礼拜", 7 * 24 * 60)]
    [InlineData("一周了", 7 * 24 * 60)]
    [InlineData("半年了都没修好", 182 * 24 * 60 + 12 * 60)]
    [InlineData("半个月了", 15 * 24 * 60)]
    [InlineData("漏水半个月", 15 * 24 * 60)]
    [InlineData("三天", 3 * 24 * 60)]
    [InlineData("好几天了", 3 * 24 * 60)]
    [InlineData("十几天了", 11 * 24 * 60)]
    [InlineData("十多天", 10 * 24 * 60)]
    [InlineData("两三天了", 2 * 24 * 60)]
    [InlineData("四五天了", 4 * 24 * 60)]
    [InlineData("三个月了", 90 * 24 * 60)]
    [InlineData("两年多了", 730 * 24 * 60)]
    [InlineData("一年半了", 365 * 24 * 60 + 182 * 24 * 60 + 12 * 60)]
    [InlineData("一个半小时", 90)]
    [InlineData("等了两个小时", 120)]
    [InlineData("20分钟了电梯还没来", 20)]
    [InlineData("等了半小时", 30)]
    [InlineData("一个多星期", 7 * 24 * 60)]
    [InlineData("停水２天了", 2 * 24 * 60)]
    [InlineData("5号楼楼下吵了三天了", 3 * 24 * 60)]
    [InlineData("几天了", 2 * 24 * 60)]
    [InlineData("已经10天了🙄", 10 * 24 * 60)]
    public void Extract_Duration_ReturnsLowerBound(string text, int minutes)
    {
        Assert.Equal(TimeSpan.FromMinutes(minutes), _extractor.Extract(text, Now).Duration);
    }

    [Theory]
    [InlineData("3天前报的修")]
    [InlineData("两个小时前")]
    [InlineData("3月份交的")]
    [InlineData("2024年的账")]
    [InlineData("20日来修")]
    [InlineData("每天都这样")]
    [InlineData("天天吵")]
    [InlineData("3号楼")]
    [InlineData("物业费一年1200")]
    [InlineData("停车费一天多少钱")]
    [InlineData("一天到晚吵个不停")]
    [InlineData("前几天说要修路灯")]
    [InlineData("前两天来过一次")]
    [InlineData("你好")]
    public void Extract_NoDuration_ReturnsNull(string text)
    {
        Assert.Null(_extractor.Extract(text, Now).Duration);
    }
}
