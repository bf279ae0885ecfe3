using CommunityBot.Understanding.Extractors;

namespace CommunityBot.Tests.Understanding.Extractors;

public class ChineseNumberTests
{
    [Theory]
    [InlineData("零", 0)]
    [InlineData("〇", 0)]
    [InlineData("一", 1)]
    [InlineData("两", 2)]
    [InlineData("十", 10)]
    [InlineData("十五", 15)]
    [InlineData("三十五", 35)]
    [InlineData("二十", 20)]
    [InlineData("一百", 100)]
    [InlineData("一百零八", 108)]
    [InlineData("一百一十", 110)]
    [InlineData("一百五", 150)]
    [InlineData("两千三", 2300)]
    [InlineData("两千零三", 2003)]
    [InlineData("三万五", 35000)]
    [InlineData("一万零五百", 10500)]
    [InlineData("十万", 100000)]
    [InlineData("一亿两千万", 120000000)]
    [InlineData("廿", 20)]
    [InlineData("廿三", 23)]
    [InlineData("幺三八", 138)]
    [InlineData("二〇二四", 2024)]
    [InlineData("五零一", 501)]
    [InlineData("501", 501)]
    [InlineData("５０１", 501)]
    [InlineData("2千", 2000)]
    [InlineData("２千", 2000)]
    [InlineData("3万", 30000)]
    [InlineData("1.5万", 15000)]
    [InlineData("１．５万", 15000)]
    [InlineData("2.5", 2.5)]
    [InlineData(" 十二 ", 12)]
    public void Parse_Numeral_ReturnsValue(string text, double expected)
    {
        Assert.Equal((decimal)expected, ChineseNumber.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("十几")]
    [InlineData("几")]
    [InlineData("好几")]
    [InlineData("两三")]
    [InlineData("三四十")]
    [InlineData("abc")]
    [InlineData("三号")]
    [InlineData("1.2.3")]
    public void Parse_NotANumber_ReturnsNull(string text)
    {
        Assert.Null(ChineseNumber.Parse(text));
    }

    [Theory]
    [InlineData("几", 2)]
    [InlineData("好几", 3)]
    [InlineData("十几", 11)]
    [InlineData("几十", 20)]
    [InlineData("两三", 2)]
    [InlineData("三四十", 30)]
    [InlineData("七八百", 700)]
    [InlineData("十二", 12)]
    [InlineData("12", 12)]
    public void ParseAtLeast_VagueAmount_ReturnsLowerBound(string text, int expected)
    {
        Assert.Equal(expected, ChineseNumber.ParseAtLeast(text));
    }

    [Fact]
    public void ParseInt_Fraction_ReturnsNull()
    {
        Assert.Null(ChineseNumber.ParseInt("2.5"));
        Assert.Equal(15000, ChineseNumber.ParseInt("1.5万"));
    }
}
