using CommunityBot.Understanding.Extractors;

namespace CommunityBot.Tests.Understanding.Extractors;

public class LocationExtractorTests
{
    private static readonly DateTimeOffset Now = new(2025, 11, 26, 15, 0, 0, TimeSpan.FromHours(8));
    private readonly DetailExtractor _extractor = new(FakeDirectory.Instance);

    // Expected parts are compound id | building | unit | room | landmark ("" = not found), then the span as written.
    [Theory]
    [InlineData("幸福里小区3号楼2单元501漏水", "xfl|3|2|501|", "幸福里小区3号楼2单元501")]
    [InlineData("幸福里3号楼2单元501漏水到楼下了", "xfl|3|2|501|", "幸福里3号楼2单元501")]
    [InlineData("3号楼2单元501", "|3|2|501|", "3号楼2单元501")]
    [InlineData("三号楼二单元五零一", "|3|2|501|", "三号楼二单元五零一")]
    [InlineData("３号楼２单元５０１", "|3|2|501|", "３号楼２单元５０１")]
    [InlineData("柳岸花园5栋电梯又坏了", "lahy|5|||电梯", "柳岸花园5栋电梯")]
    [InlineData("柳岸5幢的下水道堵了", "lahy|5|||", "柳岸5幢")]
    [InlineData("春晖家园B座门口有人摆摊", "chjy|B|||", "春晖家园B座")]
    [InlineData("春晖家园b座", "chjy|B|||", "春晖家园b座")]
    [InlineData("和平里12#楼停水了", "hpl|12|||", "和平里12#楼")]
    [InlineData("和平里小区十二号楼", "hpl|12|||", "和平里小区十二号楼")]
    [InlineData("3#漏水", "|3|||", "3#")]
    [InlineData("5号楼楼下烧烤店天天半夜吵得睡不着", "|5|||", "5号楼")]
    [InlineData("我住二单元", "||2||", "二单元")]
    [InlineData("1单元501家里没水", "||1|501|", "1单元501")]
    [InlineData("3号楼501室", "|3||501|", "3号楼501室")]
    [InlineData("3号楼 1102", "|3||1102|", "3号楼 1102")]
    [InlineData("3号2单元1102", "|3|2|1102|", "3号2单元1102")]
    [InlineData("3-2-501卫生间漏水", "|3|2|501|", "3-2-501")]
    [InlineData("我家501室天花板掉皮", "|||501|", "501室")]
    [InlineData("东门岗亭的保安昨晚十点不让外卖进", "||||东门岗亭", "东门岗亭")]
    [InlineData("北门那边路灯不亮", "||||北门", "北门")]
    [InlineData("地下车库好多积水", "||||地下车库", "地下车库")]
    [InlineData("小区门口堆满了共享单车🚲", "||||小区门口", "小区门口")]
    [InlineData("楼道里堆的杂物谁管管", "||||楼道", "楼道")]
    [InlineData("垃圾站好几天没人清了", "||||垃圾站", "垃圾站")]
    [InlineData("快递柜坏了取不出来", "||||快递柜", "快递柜")]
    [InlineData("球场晚上有人放音乐", "||||球场", "球场")]
    [InlineData("幸福里北门", "xfl||||北门", "幸福里北门")]
    [InlineData("柳岸花园", "lahy||||", "柳岸花园")]
    [InlineData("我家501天花板掉皮", "|||501|", "501")]
    [InlineData("楼上漏水漏到我家了 我家是301 楼上401", "|||301|", "301")]
    [InlineData("一号楼三单元六零二 漏水 麻烦尽快", "|1|3|602|", "一号楼三单元六零二")]
    [InlineData("B座1203室的空调外机滴水", "|B||1203|", "B座1203室")]
    [InlineData("12#3单元", "|12|3||", "12#3单元")]
    [InlineData("房间号是1502", "|||1502|", "1502")]
    [InlineData("喂 你好 我是春晖家园a座的 一二零三 电梯困人了 快来", "chjy|A||1203|电梯", "春晖家园a座的 一二零三 电梯")]
    [InlineData("幸福里小区3栋2单元502室 漏水三天了，联系电话13812345678，谢谢！", "xfl|3|2|502|", "幸福里小区3栋2单元502室")]
    [InlineData("5单元楼道灯不亮了好久了", "||5||楼道", "5单元楼道")]
    [InlineData("小孩在健身器材那玩受伤了", "||||健身器材", "健身器材")]
    [InlineData("20号楼下面的车位被占了", "|20|||", "20号楼")]
    [InlineData("8号楼的电梯从上个礼拜坏到现在😭😭", "|8|||电梯", "8号楼的电梯")]
    [InlineData("柳岸2栋1单元302家门口堆了好多纸箱，消防通道都堵了", "lahy|2|1|302|消防通道", "柳岸2栋1单元302消防通道")]
    [InlineData("和平里小区12号楼电梯又停了", "hpl|12|||电梯", "和平里小区12号楼电梯")]
    [InlineData("11月25日晚上九点左右，5栋楼下有人打架", "|5|||", "5栋楼")]
    [InlineData("幸福里小区1号楼2单元1201业主，电话：186-0000-2222", "xfl|1|2|1201|", "幸福里小区1号楼2单元1201")]
    public void Extract_Location_ReturnsParts(string text, string expected, string span)
    {
        var location = _extractor.Extract(text, Now).Location;

        Assert.NotNull(location);
        var actual = string.Join('|', location.CompoundId, location.Building, location.Unit, location.Room, location.Landmark);
        Assert.Equal(expected, actual);
        Assert.Equal(span, location.Text);
    }

    [Theory]
    [InlineData("楼上401天天吵")]
    [InlineData("住了300天")]
    [InlineData("我家在18楼")]
    [InlineData("一栋楼都停电了")]
    [InlineData("交了501块物业费")]
    [InlineData("下午3点有人敲门")]
    [InlineData("三个人在吵架")]
    [InlineData("2025年的物业费怎么交")]
    [InlineData("物业电话多少")]
    [InlineData("你好")]
    [InlineData("")]
    public void Extract_NoLocation_ReturnsNull(string text)
    {
        Assert.Null(_extractor.Extract(text, Now).Location);
    }

    [Fact]
    public void Extract_AliasAndName_PrefersTheLongestName()
    {
        var location = _extractor.Extract("幸福里小区门口", Now).Location;

        Assert.NotNull(location);
        Assert.Equal("xfl", location.CompoundId);
        Assert.Equal("幸福里小区", location.CompoundName);
    }

    [Fact]
    public void Extract_Room_IsLeftOutOfThePublicDescription()
    {
        var location = _extractor.Extract("幸福里3号楼2单元501漏水", Now).Location;

        Assert.NotNull(location);
        Assert.Equal("幸福里小区3号楼2单元", location.PublicDescription);
    }

    [Fact]
    public void Extract_ConfiguredLandmarks_ReplaceTheDefaults()
    {
        var extractor = new DetailExtractor(FakeDirectory.Instance,
            Microsoft.Extensions.Options.Options.Create(new DetailExtractionOptions { Landmarks = ["老年活动中心"] }));

        Assert.Equal("老年活动中心", extractor.Extract("老年活动中心门锁坏了", Now).Location?.Landmark);
        Assert.Null(extractor.Extract("北门路灯不亮", Now).Location);
    }

    [Fact]
    public void Extract_EmptyDirectory_StillFindsBuildings()
    {
        var extractor = new DetailExtractor(EmptyDirectoryForTests.Instance);

        var location = extractor.Extract("幸福里3号楼", Now).Location;

        Assert.NotNull(location);
        Assert.Null(location.CompoundId);
        Assert.Equal("3", location.Building);
    }

    private sealed class EmptyDirectoryForTests : CommunityBot.Dialogs.Directory.IDirectory
    {
        public static EmptyDirectoryForTests Instance { get; } = new();

        public IReadOnlyList<CommunityBot.Dialogs.Directory.CompoundInfo> Compounds() => [];
    }
}
