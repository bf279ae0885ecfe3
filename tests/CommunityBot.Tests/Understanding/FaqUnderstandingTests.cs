using CommunityBot.Dialogs.Understanding;
using CommunityBot.Faq;
using CommunityBot.Understanding;
using LiteDB;

namespace CommunityBot.Tests.Understanding;

public class FaqUnderstandingTests
{
    private static FaqUnderstanding Understanding(LiteDatabase db)
    {
        var store = new FaqStore(db);
        store.ReplaceAll(FaqMatcherTests.Kb);
        return new FaqUnderstanding(new FaqMatcher(new FaqMatchingOptions(), store.Enabled()), store);
    }

    [Fact]
    public void Understand_KnownQuestion_IsFaqWithAnswer()
    {
        using var db = new LiteDatabase(new MemoryStream());
        var understanding = Understanding(db);

        var result = understanding.Understand("物业电话是多少？");

        Assert.Equal(Intent.Faq, result.Intent);
        Assert.Equal("property-phone", result.Faq?.Id);
        Assert.Equal("0371-1234567", understanding.Find("property-phone")?.Answer);
    }

    [Fact]
    public void Understand_WithTimings_TimesEachMatchAndAnswersTheSame()
    {
        using var db = new LiteDatabase(new MemoryStream());
        var plain = Understanding(db);
        var timings = new UnderstandingTimings();
        var timed = new FaqUnderstanding(new FaqMatcher(new FaqMatchingOptions(), new FaqStore(db).Enabled()), new FaqStore(db)) { Timings = timings };

        var results = new[] { "物业电话是多少？", "你好", "明天会下雪吗" }.Select(t => (Plain: plain.Understand(t), Timed: timed.Understand(t))).ToList();

        // A greeting never reaches the matcher, so two of the three messages are timed there.
        Assert.Equal(2, timings.FaqMilliseconds.Count);
        Assert.All(timings.FaqMilliseconds, ms => Assert.True(ms > 0));
        Assert.True(timings.FaqTicks > 0 && timings.ChitchatTicks > 0 && timings.NluTicks > 0);
        Assert.True(timings.FaqBytes > 0);
        Assert.All(results, r =>
        {
            Assert.Equal(r.Plain.Intent, r.Timed.Intent);
            Assert.Equal(r.Plain.Faq, r.Timed.Faq);
        });
    }

    [Theory]
    [InlineData("你好")]
    [InlineData("谢谢！")]
    public void Understand_Greeting_IsChitchat(string text)
    {
        using var db = new LiteDatabase(new MemoryStream());
        Assert.Equal(Intent.Chitchat, Understanding(db).Understand(text).Intent);
    }

    [Fact]
    public void Understand_Unrelated_IsOther()
    {
        using var db = new LiteDatabase(new MemoryStream());
        var result = Understanding(db).Understand("明天的天气预报说会下雪吗");

        Assert.Equal(Intent.Other, result.Intent);
        Assert.Null(result.Faq);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Understand_Blank_IsOther(string text)
    {
        using var db = new LiteDatabase(new MemoryStream());
        Assert.Equal(Intent.Other, Understanding(db).Understand(text).Intent);
    }

    [Fact]
    public void Find_UnknownId_ReturnsNull()
    {
        using var db = new LiteDatabase(new MemoryStream());
        Assert.Null(Understanding(db).Find("nope"));
    }
}
