using System.Globalization;
using CommunityBot.Understanding.Extractors;

namespace CommunityBot.Tests.Understanding.Extractors;

public class TimeExtractorTests
{
    // Wednesday 26 November 2025, 15:00 Beijing time.
    private static readonly DateTimeOffset Now = new(2025, 11, 26, 15, 0, 0, TimeSpan.FromHours(8));
    private readonly DetailExtractor _extractor = new(FakeDirectory.Instance);

    // Start and end as "MM-dd HH:mm" in +08:00 (year 2025), "" for none.
    [Theory]
    [InlineData("东门岗亭的保安昨晚十点不让外卖进", "11-25 22:00", "", false)]
    [InlineData("昨晚10点多楼上还在装修", "11-25 22:00", "", false)]
    [InlineData("凌晨两点多还有人在唱歌", "11-26 02:00", "", false)]
    [InlineData("今天早上停水了", "11-26 06:00", "11-26 09:00", false)]
    [InlineData("今早6点就开始施工", "11-26 06:00", "", false)]
    [InlineData("下午2点半有人敲门推销", "11-26 14:30", "", false)]
    [InlineData("下午3点半", "11-26 15:30", "", false)]
    [InlineData("下午三点半", "11-26 15:30", "", false)]
    [InlineData("晚上8点到10点广场舞太吵", "11-25 20:00", "11-25 22:00", false)]
    [InlineData("晚上8点-10点", "11-25 20:00", "11-25 22:00", false)]
    [InlineData("每天晚上都有人遛狗不牵绳", "11-26 18:00", "11-27 00:00", true)]
    [InlineData("5号楼楼下烧烤店天天半夜吵得睡不着", "11-26 23:00", "11-27 03:00", true)]
    [InlineData("每天早上7点就开始装修", "11-26 07:00", "", true)]
    [InlineData("上周三来修过一次", "11-19 00:00", "11-20 00:00", false)]
    [InlineData("这周一报的修", "11-24 00:00", "11-25 00:00", false)]
    [InlineData("星期五", "11-21 00:00", "11-22 00:00", false)]
    [InlineData("前天就报修了", "11-24 00:00", "11-25 00:00", false)]
    [InlineData("大前天", "11-23 00:00", "11-24 00:00", false)]
    [InlineData("昨天下午三点", "11-25 15:00", "", false)]
    [InlineData("前天晚上十一点多", "11-24 23:00", "", false)]
    [InlineData("昨天夜里两点", "11-26 02:00", "", false)]
    [InlineData("刚才电梯卡住了", "11-26 15:00", "", false)]
    [InlineData("刚刚又停电了😡", "11-26 15:00", "", false)]
    [InlineData("半夜有人按门铃", "11-25 23:00", "11-26 03:00", false)]
    [InlineData("周末装修从早到晚", "11-22 00:00", "11-24 00:00", false)]
    [InlineData("11月20号交的物业费", "11-20 00:00", "11-21 00:00", false)]
    [InlineData("１１月２０日", "11-20 00:00", "11-21 00:00", false)]
    [InlineData("20号晚上停电", "11-20 18:00", "11-21 00:00", false)]
    [InlineData("二十号", "11-20 00:00", "11-21 00:00", false)]
    [InlineData("3天前报的修", "11-23 00:00", "11-24 00:00", false)]
    [InlineData("三天前", "11-23 00:00", "11-24 00:00", false)]
    [InlineData("两个小时前", "11-26 13:00", "", false)]
    [InlineData("半小时前", "11-26 14:30", "", false)]
    [InlineData("10点左右", "11-26 10:00", "", false)]
    [InlineData("早上7:30", "11-26 07:30", "", false)]
    [InlineData("中午12点", "11-26 12:00", "", false)]
    [InlineData("晚上十点半", "11-25 22:30", "", false)]
    [InlineData("上周就反映过", "11-17 00:00", "11-24 00:00", false)]
    [InlineData("上个星期", "11-17 00:00", "11-24 00:00", false)]
    [InlineData("这个月停了三次水", "11-01 00:00", "12-01 00:00", false)]
    [InlineData("上个月的物业费", "10-01 00:00", "11-01 00:00", false)]
    [InlineData("8点到10点", "11-26 08:00", "11-26 10:00", false)]
    [InlineData("昨天晚上十一点半到十二点一直有狗叫", "11-25 23:30", "11-26 00:00", false)]
    [InlineData("晚上十二点", "11-26 00:00", "", false)]
    [InlineData("九点十五", "11-26 09:15", "", false)]
    [InlineData("八点零五分", "11-26 08:05", "", false)]
    [InlineData("十点一刻", "11-26 10:15", "", false)]
    [InlineData("明天上午能来修吗", "11-27 08:00", "11-27 12:00", false)]
    [InlineData("今晚八点开业主大会吗", "11-26 20:00", "", false)]
    [InlineData("每天晚上十点以后", "11-26 22:00", "", true)]
    [InlineData("这个礼拜三次停电了", "11-24 00:00", "12-01 00:00", false)]
    [InlineData("上周五到现在一直没热水", "11-21 00:00", "11-22 00:00", false)]
    [InlineData("周三下午两点左右", "11-26 14:00", "", false)]
    [InlineData("每个周末都有人在楼下唱K", "11-22 00:00", "11-24 00:00", true)]
    [InlineData("一个星期前就说来修", "11-19 00:00", "11-20 00:00", false)]
    [InlineData("大半夜的放鞭炮", "11-25 23:00", "11-26 03:00", false)]
    [InlineData("早上5点多垃圾车就来了很吵", "11-26 05:00", "", false)]
    [InlineData("早上八点到晚上六点停水", "11-26 08:00", "11-26 18:00", false)]
    [InlineData("三点到五点", "11-26 15:00", "11-26 17:00", false)]
    [InlineData("前天半夜两点多", "11-25 02:00", "", false)]
    [InlineData("晚上9:30", "11-25 21:30", "", false)]
    [InlineData("21:30", "11-25 21:30", "", false)]
    [InlineData("几分钟前", "11-26 14:58", "", false)]
    [InlineData("一小时前", "11-26 14:00", "", false)]
    [InlineData("半个月前报修的到现在没人来", "11-11 00:00", "11-12 00:00", false)]
    [InlineData("今天下午4点到6点停电", "11-26 16:00", "11-26 18:00", false)]
    [InlineData("11月25日晚上九点左右，5栋楼下有人打架", "11-25 21:00", "", false)]
    [InlineData("请问下周六小区停水吗", "12-06 00:00", "12-07 00:00", false)]
    [InlineData("请问下下周三停水吗", "12-10 00:00", "12-11 00:00", false)]
    [InlineData("昨天夜里三点多有人在楼道里喊", "11-26 03:00", "", false)]
    public void Extract_Time_ResolvesAgainstMessageTime(string text, string start, string end, bool recurring)
    {
        var when = _extractor.Extract(text, Now).When;

        Assert.NotNull(when);
        Assert.Equal(start, Format(when.Start));
        Assert.Equal(end, Format(when.End));
        Assert.Equal(recurring, when.Recurring);
    }

    [Fact]
    public void Extract_SmallHoursBeforeTheyCome_MeansLastNight()
    {
        var at = new DateTimeOffset(2025, 11, 26, 1, 0, 0, TimeSpan.FromHours(8));

        var when = _extractor.Extract("凌晨两点多还有人在唱歌", at).When;

        Assert.Equal("11-25 02:00", Format(when?.Start));
    }

    [Fact]
    public void Extract_OtherOffset_KeepsTheMessageOffset()
    {
        var at = new DateTimeOffset(2025, 11, 26, 7, 0, 0, TimeSpan.Zero);

        var when = _extractor.Extract("昨晚十点", at).When;

        Assert.Equal(new DateTimeOffset(2025, 11, 25, 22, 0, 0, TimeSpan.Zero), when?.Start);
    }

    [Fact]
    public void Extract_LastYear_IsTheWholeCalendarYear()
    {
        var when = _extractor.Extract("去年就开始漏水了", Now).When;

        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.FromHours(8)), when?.Start);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(8)), when?.End);
    }

    [Fact]
    public void Extract_DayOfMonthAfterToday_MeansLastMonth()
    {
        var when = _extractor.Extract("28号来修的", Now).When;

        Assert.Equal("10-28 00:00", Format(when?.Start));
    }

    [Fact]
    public void Extract_Time_KeepsTheSpanAsWritten()
    {
        Assert.Equal("昨晚十点", _extractor.Extract("东门岗亭的保安昨晚十点不让外卖进", Now).When?.Text);
    }

    [Theory]
    [InlineData("有一点吵")]
    [InlineData("声音小一点")]
    [InlineData("3号楼漏水")]
    [InlineData("5号楼2单元")]
    [InlineData("三天了还没人来")]
    [InlineData("电话13812345678")]
    [InlineData("物业费一年1200")]
    [InlineData("两户人家")]
    [InlineData("你好")]
    public void Extract_NoTime_ReturnsNull(string text)
    {
        Assert.Null(_extractor.Extract(text, Now).When);
    }

    private static string Format(DateTimeOffset? value)
    {
        if (value is not { } v)
        {
            return "";
        }
        Assert.Equal(TimeSpan.FromHours(8), v.Offset);
        return v.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture);
    }
}
