using CommunityBot.Understanding;

namespace CommunityBot.Tests.Understanding;

public class ChineseTokenizerTests
{
    [Fact]
    public void Words_PropertyPhoneQuestion_SplitsIntoDictionaryWords()
    {
        Assert.Equal(["物业", "电话", "是", "多少"], ChineseTokenizer.Words("物业电话是多少"));
    }

    [Fact]
    public void Words_FullWidthAndUpperCase_AreNormalised()
    {
        Assert.Equal(["wifi", "密码", "123"], ChineseTokenizer.Words("ＷｉＦｉ密码１２３"));
    }

    [Fact]
    public void Words_PunctuationAndEmoji_AreDropped()
    {
        Assert.Equal(["你好", "停水", "了", "吗"], ChineseTokenizer.Words("你好！😀 停水了吗？？"));
    }

    [Fact]
    public void Words_EmptyText_ReturnsNothing()
    {
        Assert.Empty(ChineseTokenizer.Words("  ，。 "));
    }

    [Fact]
    public void Units_MixedWords_SplitsChineseKeepsLatinWhole()
    {
        Assert.Equal(["wifi", "密", "码"], ChineseTokenizer.Units(["wifi", "密码"]));
    }

    [Fact]
    public async Task Words_ManyThreads_GiveTheSameResult()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            Enumerable.Range(0, 200).Select(_ => string.Join('/', ChineseTokenizer.Words("物业电话是多少"))).Distinct().Single())));
        Assert.All(results, r => Assert.Equal("物业/电话/是/多少", r));
    }
}
