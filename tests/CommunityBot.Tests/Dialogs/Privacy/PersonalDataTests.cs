using CommunityBot.Dialogs.Privacy;

namespace CommunityBot.Tests.Dialogs.Privacy;

/// <summary>The one rule for personal data in public text (issue 12, item 6).</summary>
public sealed class PersonalDataTests
{
    private const string N = PersonalData.HiddenNumber;

    [Theory]
    // Mobiles, however they are written.
    [InlineData("联系我13812345678", "联系我" + N)]
    [InlineData("电话 138 1234 5678 谢谢", "电话 " + N + " 谢谢")]
    [InlineData("电话138-1234-5678", "电话" + N)]
    [InlineData("+86 138 1234 5678", N)]
    [InlineData("+8613812345678", N)]
    [InlineData("8613812345678", N)]
    [InlineData("0086-138-1234-5678", N)]
    [InlineData("1381 234 5678", N)]
    [InlineData("找我:13812345678,或者19912345678", "找我:" + N + "," + "或者" + N)]
    // Landlines with and without an area code.
    [InlineData("物业010-12345678", "物业" + N)]
    [InlineData("打0371-66001234", "打" + N)]
    [InlineData("打0371 6600 1234", "打" + N)]
    [InlineData("打(0371)66001234", "打" + N)]
    [InlineData("037166001234", N)]
    [InlineData("+86 371 6600 1234", N)]
    [InlineData("座机66001234", "座机" + N)]
    [InlineData("座机6600-1234", "座机" + N)]
    [InlineData("座机6600123", "座机" + N)]
    // Other long numbers: an ID card, a bank card.
    [InlineData("身份证410105199001011234", "身份证" + N)]
    [InlineData("身份证41010519900101123X", "身份证" + N)]
    [InlineData("卡号6222020200112233445", "卡号" + N)]
    public void Hide_PhoneNumbers_AreHiddenEntirely(string text, string expected) => Assert.Equal(expected, PersonalData.Hide(text));

    [Theory]
    [InlineData("3-2-501漏水", "3-2-***漏水")]
    [InlineData("12-3-1201 漏水", "12-3-*** 漏水")]
    [InlineData("501室漏水", "***室漏水")]
    [InlineData("楼上1203 室天天吵", "楼上*** 室天天吵")]
    [InlineData("五零一室漏水", "***室漏水")]
    [InlineData("3单元201漏水", "3单元***漏水")]
    [InlineData("幸福里3号楼2单元501漏水到楼下了", "幸福里3号楼2单元***漏水到楼下了")]
    [InlineData("5号楼1203的住户", "5号楼***的住户")]
    [InlineData("5栋 602", "5栋 ***")]
    [InlineData("6#502", "6#***")]
    [InlineData("我家住1203", "我家住***")]
    [InlineData("门牌号是301", "门牌号是***")]
    public void Hide_Rooms_AreStarredAndTheBuildingKept(string text, string expected) => Assert.Equal(expected, PersonalData.Hide(text));

    [Theory]
    // What is not personal stays as written.
    [InlineData("5号楼楼下烧烤店天天半夜吵得睡不着")]
    [InlineData("工单 WT20261123-0001 还没人处理")]
    [InlineData("2026-11-23晚上十点")]
    [InlineData("20:30开始停水")]
    [InlineData("3号楼2单元楼道灯坏了")]
    [InlineData("罚了30000000元")]
    [InlineData("2026年供暖")]
    [InlineData("离东门300米")]
    [InlineData("5号楼300户都停水了")]
    [InlineData("电梯坏了3天")]
    [InlineData("住了300天")]
    [InlineData("")]
    public void Hide_NothingPersonal_IsUnchanged(string text) => Assert.Equal(text, PersonalData.Hide(text));

    [Fact]
    public void Hide_KnownRoom_IsStarredWhereItStandsAlone()
    {
        Assert.Equal("5号楼 *** 漏水，物业费1501元", PersonalData.Hide("5号楼 501 漏水，物业费1501元", "501"));
    }

    [Fact]
    public void Hide_PhoneAndRoomTogether_BothHidden()
    {
        Assert.Equal($"3单元***漏水，电话{N}", PersonalData.Hide("3单元201漏水，电话139 1234 5678"));
    }

    [Theory]
    [InlineData("13812345678", "138****5678")]
    [InlineData("0371-66001234", "037****1234")]
    [InlineData("123", "****")]
    public void MaskPhone_StoredPhone_KeepsTheFirstThreeAndLastFour(string phone, string expected) => Assert.Equal(expected, PersonalData.MaskPhone(phone));
}
