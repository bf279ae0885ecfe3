using CommunityBot.Dialogs.Understanding;

namespace CommunityBot.Tests.Dialogs.Understanding;

public sealed class ReportTriggersTests
{
    [Theory]
    [InlineData("我要投诉 幸福里5号楼烧烤店太吵", "幸福里5号楼烧烤店太吵")]
    [InlineData("我要报修：3号楼楼道灯坏了", "3号楼楼道灯坏了")]
    [InlineData("反映一下，小区门口占道经营", "小区门口占道经营")]
    [InlineData("你好，我想反映一下 电梯又坏了", "电梯又坏了")]
    [InlineData("投诉楼下烧烤店", "楼下烧烤店")]
    [InlineData("我要投诉 反映一下 垃圾没人收", "垃圾没人收")]
    [InlineData("我要举报", "")]
    [InlineData("  楼道灯不亮  ", "楼道灯不亮")]
    public void Strip_LeavesTheProblem(string text, string problem)
    {
        Assert.Equal(problem, ReportTriggers.Strip(text));
    }

    [Theory]
    [InlineData("投诉电话是多少")]
    [InlineData("报修热线多少")]
    [InlineData("报修了好几次 物业就是不来人")]
    [InlineData("反映的问题有结果了吗")]
    [InlineData("怎么投诉")]
    [InlineData("楼道灯不亮")]
    [InlineData("报修单提交了三天")]
    public void StartsReport_WhenTheWordIsTheTopic_IsFalseAndNothingIsStripped(string text)
    {
        Assert.False(ReportTriggers.StartsReport(text));
        Assert.Equal(text, ReportTriggers.Strip(text));
    }

    [Theory]
    [InlineData("我要投诉")]
    [InlineData("报修：水管爆了")]
    [InlineData("您好 我要反映个问题")]
    public void StartsReport_OnATriggerWord_IsTrue(string text)
    {
        Assert.True(ReportTriggers.StartsReport(text));
    }
}
