using CommunityBot.Understanding.Extractors;

namespace CommunityBot.Tests.Understanding.Extractors;

public class PhoneExtractorTests
{
    private static readonly DateTimeOffset Now = new(2025, 11, 26, 15, 0, 0, TimeSpan.FromHours(8));
    private readonly DetailExtractor _extractor = new(FakeDirectory.Instance);

    [Theory]
    [InlineData("电话13812345678", "13812345678")]
    [InlineData("我电话是 13812345678 有事打我", "13812345678")]
    [InlineData("138 1234 5678", "13812345678")]
    [InlineData("138-1234-5678", "13812345678")]
    [InlineData("+86 13812345678", "13812345678")]
    [InlineData("+8613812345678", "13812345678")]
    [InlineData("+86-371-66001234", "0371-66001234")]
    [InlineData("0086-13812345678", "13812345678")]
    [InlineData("１３８１２３４５６７８", "13812345678")]
    [InlineData("联系方式：１３８ １２３４ ５６７８", "13812345678")]
    [InlineData("手机15900001111，谢谢🙏", "15900001111")]
    [InlineData("有事打19912345678", "19912345678")]
    [InlineData("0371-66001234", "0371-66001234")]
    [InlineData("物业座机(0371)66001234", "0371-66001234")]
    [InlineData("物业座机（0371）66001234", "0371-66001234")]
    [InlineData("010-62345678", "010-62345678")]
    [InlineData("037166001234", "0371-66001234")]
    [InlineData("02187654321", "021-87654321")]
    [InlineData("0371 6600 1234", "0371-66001234")]
    [InlineData("座机66001234", "66001234")]
    [InlineData("电话：6600123", "6600123")]
    [InlineData("打电话66001234也行", "66001234")]
    [InlineData("我电话13812345678.", "13812345678")]
    [InlineData("电话：13812345678，谢谢", "13812345678")]
    [InlineData("幺三八一二三四五六七八", "13812345678")]
    [InlineData("我手机号是159 0000 1111 麻烦回个电话", "15900001111")]
    [InlineData("我家电话是66001234", "66001234")]
    [InlineData("幸福里小区1号楼2单元1201业主，电话：186-0000-2222", "18600002222")]
    public void Extract_Phone_ReturnsNormalised(string text, string expected)
    {
        Assert.Equal([expected], _extractor.Extract(text, Now).Phones);
    }

    [Fact]
    public void Extract_TwoPhones_ReturnsBothInOrder()
    {
        var phones = _extractor.Extract("我13812345678，我爱人 0371-66001234，再留一个138 1234 5678", Now).Phones;
        Assert.Equal(["13812345678", "0371-66001234"], phones);
    }

    [Theory]
    [InlineData("身份证410105199003071234")]
    [InlineData("身份证41010519900307123X")]
    [InlineData("130102199003071234")]
    [InlineData("订单号13812345678")]
    [InlineData("快递单号 13812345678 一直没到")]
    [InlineData("取件码13812345678")]
    [InlineData("交了13800000000元")]
    [InlineData("2025-11-26")]
    [InlineData("20251126")]
    [InlineData("66001234")]
    [InlineData("3号楼2单元501")]
    [InlineData("房租1500块")]
    [InlineData("12345678901234567890")]
    [InlineData("1381234567")]
    [InlineData("12812345678")]
    [InlineData("138123456789")]
    [InlineData("电话1234")]
    [InlineData("能不能帮忙催一下，工单号20251126001")]
    [InlineData("车牌豫A12345")]
    [InlineData("订单号1381234567890")]
    [InlineData("验证码138123")]
    [InlineData("2025年11月20日交的物业费1380元")]
    [InlineData("幸福里3号楼2单元501")]
    [InlineData("一二三四五六七八九十")]
    public void Extract_NotAPhone_ReturnsNone(string text)
    {
        Assert.Empty(_extractor.Extract(text, Now).Phones);
    }
}
