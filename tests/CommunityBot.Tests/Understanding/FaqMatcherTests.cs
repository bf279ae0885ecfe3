using CommunityBot.Faq;
using CommunityBot.Understanding;

namespace CommunityBot.Tests.Understanding;

public class FaqMatcherTests
{
    internal static readonly FaqEntry[] Kb =
    [
        new() { Id = "property-phone", Question = "物业电话是多少", Similar = ["怎么联系物业", "物业服务中心的联系方式"], Answer = "0371-1234567" },
        new() { Id = "water-outage", Question = "停水了怎么办", Similar = ["家里没水了找谁", "什么时候恢复供水"], Answer = "请查看停水公告" },
        new() { Id = "garbage", Question = "垃圾分类投放时间", Similar = ["几点可以扔垃圾", "垃圾桶什么时候开放"], Answer = "早7点到9点，晚6点到8点" },
        new() { Id = "parking-fee", Question = "小区停车费怎么交", Similar = ["停车月卡在哪里办", "车位费多少钱一个月"], Answer = "到物业服务中心办理" },
        new() { Id = "parking-visitor", Question = "访客车辆怎么进小区", Similar = ["朋友开车来能进小区吗"], Answer = "门岗登记" },
        new() { Id = "residence-cert", Question = "居住证明在哪里开", Similar = ["开居住证明需要什么材料"], Answer = "社区服务中心" },
    ];

    private static FaqMatcher Matcher() => new(new FaqMatchingOptions(), Kb);

    [Fact]
    public void Match_Paraphrase_Answers()
    {
        var match = Matcher().Match("物业的电话多少");

        Assert.Equal("property-phone", match.Answer?.Id);
        Assert.InRange(match.Answer!.Score, 0, 1);
    }

    [Fact]
    public void Match_SimilarPhrasing_Answers()
    {
        Assert.Equal("garbage", Matcher().Match("几点可以扔垃圾啊？").Answer?.Id);
    }

    [Fact]
    public void Match_VagueParkingQuestion_SuggestsInsteadOfAnswering()
    {
        var match = Matcher().Match("停车");

        Assert.Null(match.Answer);
        Assert.Contains(match.Suggestions, s => s.Id.StartsWith("parking", StringComparison.Ordinal));
        Assert.InRange(match.Suggestions.Count, 1, 3);
    }

    [Fact]
    public void Match_UnrelatedQuestion_Declines()
    {
        var match = Matcher().Match("明天的天气预报说会下雪吗");

        Assert.Null(match.Answer);
        Assert.Empty(match.Suggestions);
    }

    [Fact]
    public void Match_VeryLongMessage_DoesNotThrow()
    {
        var text = string.Concat(Enumerable.Range(0x4E00, 3000).Select(c => (char)c));

        var match = Matcher().Match(text);

        Assert.Null(match.Answer);
    }

    [Fact]
    public void Match_EmptyIndex_ReturnsNone()
    {
        Assert.Same(FaqMatch.None, new FaqMatcher(new FaqMatchingOptions()).Match("物业电话"));
    }

    [Fact]
    public void Reload_DisabledEntry_IsNoLongerMatched()
    {
        var matcher = Matcher();
        var kb = Kb.Select(e => new FaqEntry { Id = e.Id, Question = e.Question, Similar = e.Similar, Answer = e.Answer, Enabled = e.Id != "property-phone" });

        matcher.Reload(kb);

        Assert.NotEqual("property-phone", matcher.Match("物业电话是多少").Answer?.Id);
    }

    [Fact]
    public async Task Match_WhileReloading_NeverFails()
    {
        var matcher = Matcher();
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                Assert.Equal("property-phone", matcher.Match("物业电话是多少").Answer?.Id);
            }
        })).ToList();
        for (var i = 0; i < 5; i++)
        {
            matcher.Reload(Kb);
        }
        await Task.WhenAll(readers);
    }
}
