using CommunityBot.Dialogs.Understanding;
using CommunityBot.Faq;
using CommunityBot.Tests.Harness;
using CommunityBot.Understanding;
using CommunityBot.Understanding.Nlu;
using LiteDB;

namespace CommunityBot.Tests.Understanding.Nlu;

public sealed class MessageClassifierTests(ShippedModelsFixture models) : IClassFixture<ShippedModelsFixture>, IDisposable
{
    private readonly LiteDatabase _db = new(new MemoryStream());

    public void Dispose() => _db.Dispose();

    private FaqUnderstanding Understanding(NluOptions? options = null)
    {
        var store = new FaqStore(_db);
        store.ReplaceAll(DemoKnowledgeBase.Entries.ToList());
        return new FaqUnderstanding(new FaqMatcher(new FaqMatchingOptions(), store.Enabled()), store,
            models.Classifier(options), options ?? models.Options);
    }

    [Theory]
    [InlineData("5号楼楼下烧烤店天天半夜吵得睡不着", Intent.Grievance)]
    [InlineData("我的工单到哪了", Intent.Status)]
    [InlineData("谢谢", Intent.Chitchat)]
    [InlineData("物业电话多少", Intent.Faq)]
    [InlineData("谁家有梯子 借我用一下", Intent.Other)]
    public void Classify_ClearExample_GivesItsIntent(string text, Intent expected)
    {
        Assert.Equal(expected, models.Classifier().Classify(text).Intent);
    }

    [Theory]
    [InlineData("5号楼楼下烧烤店天天半夜吵得睡不着", Intent.Grievance)]
    [InlineData("我的工单到哪了", Intent.Status)]
    [InlineData("谢谢", Intent.Chitchat)]
    [InlineData("物业电话多少", Intent.Faq)]
    public void Understand_ClearExample_GivesItsIntent(string text, Intent expected)
    {
        Assert.Equal(expected, Understanding().Understand(text).Intent);
    }

    [Fact]
    public void Understand_FaqQuestion_FillsTheAnswer()
    {
        var result = Understanding().Understand("物业电话多少");

        Assert.Equal(Intent.Faq, result.Intent);
        Assert.Equal("t-property-phone", result.Faq?.Id);
    }

    [Fact]
    public void Understand_QuestionShapedComplaint_IsGrievanceWithTheFaqFilled()
    {
        var result = Understanding().Understand("暖气不热怎么办");

        Assert.Equal(Intent.Grievance, result.Intent);
        Assert.Equal("t-heating", result.Faq?.Id ?? result.Suggestions.FirstOrDefault()?.Id);
        Assert.Equal("水电气暖", result.Category);
    }

    [Theory]
    [InlineData("楼道里堆满了纸箱子 还有人推电动车上来充电", "消防安全")]
    [InlineData("从早上到现在一直停水 也没通知", "水电气暖")]
    [InlineData("我的车位天天被外面的车占着", "交通停车")]
    [InlineData("楼下超市卖过期面包 吃了拉肚子", "市场监管")]
    [InlineData("楼上天天半夜跺脚 说了也不听", "邻里纠纷")]
    [InlineData("小区门口垃圾堆了好几天没人清运", "市容环卫")]
    [InlineData("电动车电瓶昨晚在车棚被偷了", "治安民警")]
    [InlineData("路口红绿灯坏了好几天 没人修", "市政管养")]
    public void Classify_ClearGrievance_GivesItsCategoryConfidently(string text, string expected)
    {
        var result = models.Classifier().Classify(text);

        Assert.Equal(expected, result.Category);
        Assert.InRange(result.CategoryScore, 0.0, 1.0);
        Assert.Equal(3, result.CategoryCandidates.Count);
        Assert.Equal(expected, result.CategoryCandidates[0].Category);
    }

    [Fact]
    public void Understand_ScoreBelowThreshold_ReportsTheCategoryFlaggedUnsure()
    {
        var options = new NluOptions { CategoryThreshold = 1.0, CategoryCandidates = 4 };

        var result = Understanding(options).Understand("5号楼楼下烧烤店天天半夜吵得睡不着");

        Assert.Equal("环境保护", result.Category);
        Assert.True(result.CategoryUnsure);
        Assert.Equal(4, result.CategoryCandidates.Count);
        Assert.True(result.CategoryCandidates.Zip(result.CategoryCandidates.Skip(1)).All(p => p.First.Score >= p.Second.Score));
    }

    [Fact]
    public void Understand_ClearGrievance_IsNotUnsure()
    {
        var result = Understanding().Understand("5号楼楼下烧烤店天天半夜吵得睡不着");

        Assert.False(result.CategoryUnsure);
        Assert.True(result.CategoryScore >= models.Options.CategoryThreshold);
    }

    [Fact]
    public void Classify_ManyThreads_GivesTheSameAnswers()
    {
        var classifier = models.Classifier();
        string[] texts = ["楼上漏水到我家了", "我的工单到哪了", "物业电话多少", "小区门口乱停车"];
        var expected = texts.Select(t => classifier.Classify(t).Category).ToArray();

        var results = new string?[400];
        Parallel.For(0, results.Length, i => results[i] = classifier.Classify(texts[i % texts.Length]).Category);

        Assert.All(results.Select((r, i) => (r, i)), p => Assert.Equal(expected[p.i % texts.Length], p.r));
    }

    [Fact]
    public void Classify_NotReady_FallsBackToRulesWithoutCategory()
    {
        var classifier = new MessageClassifier(new NluOptions());

        var result = classifier.Classify("家里漏水了");

        Assert.False(classifier.IsReady);
        Assert.Equal(Intent.Grievance, result.Intent);
        Assert.Null(result.Category);
        Assert.False(result.FromModel);
    }
}
