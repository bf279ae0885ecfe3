using CommunityBot.Understanding.Matching;

namespace CommunityBot.Tests.Understanding;

public class SynonymDictionaryTests
{
    private static readonly SynonymDictionary Dictionary = SynonymDictionary.Parse(
    [
        "# a comment line",
        "电话 联系方式 号码 手机号码",
        "物业 物管",
        "暖气 供暖  # trailing comment",
        "单独一个词",
        "物管 物业管理员", // 物管 already belongs to the group above, so this line cannot re-route it
    ]);

    [Theory]
    [InlineData("物管的联系方式", "物业的电话")]
    [InlineData("手机号码多少", "电话多少")] // the longest form wins over 号码
    [InlineData("什么时候供暖", "什么时候暖气")]
    [InlineData("停水了", "停水了")]
    public void Rewrite_Text_UsesCanonicalForms(string text, string expected)
    {
        Assert.Equal(expected, Dictionary.Rewrite(text));
    }

    [Fact]
    public void Parse_CommentsAndSingletons_AreIgnored()
    {
        Assert.Equal(6, Dictionary.Count); // 联系方式 号码 手机号码 物管 供暖 物业管理员
    }

    [Fact]
    public void ShippedDictionary_HasEnoughGroups()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Data", "synonyms.txt");
        var groups = File.ReadLines(path).Count(l => !l.TrimStart().StartsWith('#') && l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 2);

        Assert.True(groups >= 150, $"{groups} groups");
        Assert.True(SynonymDictionary.Load(path).Count > 300);
    }
}
