using CommunityBot.Understanding.Extractors;

namespace CommunityBot.Tests.Understanding.Extractors;

public class CountExtractorTests
{
    private static readonly DateTimeOffset Now = new(2025, 11, 26, 15, 0, 0, TimeSpan.FromHours(8));
    private readonly DetailExtractor _extractor = new(FakeDirectory.Instance);

    // Vague amounts take their lower bound ("好几" → 3, "十几" → 11); the unit is the measure word.
    [Theory]
    [InlineData("楼上两户都漏水", 2, "户", "两户")]
    [InlineData("打了3次电话都没人接", 3, "次", "3次")]
    [InlineData("好几辆车堵在消防通道", 3, "辆", "好几辆")]
    [InlineData("十几个人在广场跳舞", 11, "个人", "十几个人")]
    [InlineData("三家都停水了", 3, "家", "三家")]
    [InlineData("来了五六个人", 5, "个人", "五六个人")]
    [InlineData("丢了2台电动车", 2, "台", "2台")]
    [InlineData("说了好几遍了", 3, "遍", "好几遍")]
    [InlineData("有两条狗天天叫", 2, "条", "两条")]
    [InlineData("路灯坏了三盏", 3, "盏", "三盏")]
    [InlineData("门口堆了十几袋垃圾", 11, "袋", "十几袋")]
    [InlineData("二十多户没暖气", 20, "户", "二十多户")]
    [InlineData("１０户", 10, "户", "１０户")]
    [InlineData("来过两回", 2, "回", "两回")]
    [InlineData("三个垃圾桶都满了", 3, "个", "三个")]
    [InlineData("这个礼拜三次停电了", 3, "次", "三次")]
    [InlineData("停了20多次水", 20, "次", "20多次")]
    [InlineData("小区里有七八辆僵尸车", 7, "辆", "七八辆")]
    [InlineData("他家养了二十多只猫", 20, "只", "二十多只")]
    public void Extract_Count_ReturnsValueAndUnit(string text, int value, string unit, string span)
    {
        var count = Assert.Single(_extractor.Extract(text, Now).Counts);

        Assert.Equal(value, count.Value);
        Assert.Equal(unit, count.Unit);
        Assert.Equal(span, count.Text);
    }

    [Theory]
    [InlineData("3号楼漏水")]
    [InlineData("三天了")]
    [InlineData("3天前")]
    [InlineData("电话13812345678")]
    [InlineData("一个问题")]
    [InlineData("有一个事想问下")]
    [InlineData("你好")]
    public void Extract_NoCount_ReturnsEmpty(string text)
    {
        Assert.Empty(_extractor.Extract(text, Now).Counts);
    }
}
