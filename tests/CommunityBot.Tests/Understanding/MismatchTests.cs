using CommunityBot.Understanding;
using CommunityBot.Understanding.Matching;

namespace CommunityBot.Tests.Understanding;

public class MismatchTests
{
    [Theory]
    [InlineData("电动车能进电梯吗", "电动车不能进电梯吗", true)]
    [InlineData("小区有充电桩吗", "小区没有充电桩吗", true)]
    [InlineData("可以提前还款吗", "不可以提前还款吗", true)]
    [InlineData("暖气不热怎么办", "暖气不热找谁", false)]
    [InlineData("这家店不错", "这家店好吗", false)]
    [InlineData("不是不能停车", "能停车吗", false)] // two negations cancel out
    [InlineData("是不是不能停车", "能停车吗", true)] // 是不是 asks, it does not negate
    public void Negation_Pairs_DetectsMismatch(string a, string b, bool expected)
    {
        Assert.Equal(expected, Mismatch.Negation(ChineseTokenizer.Words(a), ChineseTokenizer.Words(b)));
    }

    [Theory]
    [InlineData("3号楼停水了吗", "5号楼停水了吗", true)]
    [InlineData("10月的账单", "11月的账单", true)]
    [InlineData("三号楼停水了吗", "3号楼什么时候停水", false)]
    [InlineData("3号楼停水了吗", "小区停水了吗", false)] // only one side names a number
    [InlineData("一下午都没水", "一直没水", false)] // 一 before no measure word is no number
    public void Number_Pairs_DetectsMismatch(string a, string b, bool expected)
    {
        Assert.Equal(expected, Mismatch.Number(a, b));
    }

    [Theory]
    [InlineData("三", 3)]
    [InlineData("十一", 11)]
    [InlineData("二十五", 25)]
    [InlineData("一百零八", 108)]
    [InlineData("两千", 2000)]
    [InlineData("三万五千", 35000)]
    public void ChineseNumeral_Text_ReadsValue(string text, long expected)
    {
        Assert.Equal(expected, Mismatch.ChineseNumeral(text));
    }
}
