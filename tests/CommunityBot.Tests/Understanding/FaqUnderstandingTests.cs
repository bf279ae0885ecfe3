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
