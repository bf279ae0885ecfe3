using CommunityBot.Understanding;
using CommunityBot.Understanding.Ranking;

namespace CommunityBot.Tests.Understanding.Ranking;

public class RerankFeaturesTests
{
    [Theory]
    [InlineData("物业电话多少", "物业电话是多少", 4)]
    [InlineData("停水了怎么办", "停水了找谁", 3)]
    [InlineData("abc", "xyz", 0)]
    [InlineData("", "物业", 0)]
    public void LongestCommonSubstring_Pairs_GivesRunLength(string a, string b, int expected)
    {
        Assert.Equal(expected, RerankFeatures.LongestCommonSubstring(a, b));
        Assert.Equal(expected, RerankFeatures.LongestCommonSubstring(b, a));
    }

    [Theory]
    [InlineData("物业电话多少", "物业的电话是多少", 6)]
    [InlineData("电梯坏了", "坏了电梯", 2)]
    [InlineData("abc", "", 0)]
    public void LongestCommonSubsequence_Pairs_GivesLength(string a, string b, int expected)
    {
        Assert.Equal(expected, RerankFeatures.LongestCommonSubsequence(a, b));
    }

    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("物业电话", "物管电话", 1)]
    [InlineData("", "停水", 2)]
    [InlineData("停水", "停水", 0)]
    public void EditDistance_Pairs_CountsEdits(string a, string b, int expected)
    {
        Assert.Equal(expected, RerankFeatures.EditDistance(a, b));
    }

    [Theory]
    [InlineData(new[] { "物", "业", "电" }, new[] { "物", "业", "费" }, 0.5f, 2f / 3)]
    [InlineData(new[] { "停", "水" }, new[] { "停", "水" }, 1f, 1f)]
    [InlineData(new string[0], new[] { "水" }, 0f, 0f)]
    public void JaccardAndContainment_Sets_GiveShares(string[] a, string[] b, float jaccard, float containment)
    {
        Assert.Equal(jaccard, RerankFeatures.Jaccard(a, b), 4);
        Assert.Equal(containment, RerankFeatures.Containment(a, b), 4);
    }

    [Theory]
    [InlineData("物业费怎么交", "how")]
    [InlineData("物业费多少钱一平", "amount")]
    [InlineData("物业费在哪交", "where")]
    [InlineData("能不能微信交物业费", "yesno")]
    [InlineData("为什么停水", "why")]
    [InlineData("什么时候恢复供水", "when")]
    [InlineData("路灯坏了找谁", "who")]
    [InlineData("装修要带什么材料", "what")]
    [InlineData("物业电话", "")]
    public void QuestionsOf_Cue_GivesKind(string text, string expected)
    {
        string[] kinds = ["how", "amount", "where", "yesno", "why", "when", "who", "what"];
        var mask = RerankFeatures.QuestionsOf(text);

        var actual = string.Join(",", kinds.Where((_, i) => (mask & (1 << i)) != 0));

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Of_TwoHits_FillsEveryFeatureWithMarginsOverTheOther()
    {
        var query = QueryText.From("物业电话多少");
        var phrasings = new[] { QueryText.From("物业电话是多少"), QueryText.From("停水了怎么办") };
        FaqHit[] hits = [new("phone", 10, 0.9, Closest: 0), new("water", 2, 0.1, NegationMismatch: true, Closest: 1)];

        var vectors = RerankFeatures.Of(query, hits, p => phrasings[p]);

        Assert.All(vectors, v => Assert.Equal(RerankFeatures.Count, v.Length));
        float F(int hit, string name) => vectors[hit][Array.IndexOf(RerankFeatures.Names, name)];
        Assert.Equal(1f, F(0, "bm25Rel"));
        Assert.Equal(0.2f, F(1, "bm25Rel"), 4);
        Assert.Equal(0.8f, F(0, "cosineGap"), 4);
        Assert.Equal(-0.8f, F(1, "cosineGap"), 4);
        Assert.Equal(1f, F(0, "unitInPhrasing"));
        Assert.Equal(1f, F(0, "questionAgree"));
        Assert.Equal(0f, F(0, "negationMismatch"));
        Assert.Equal(1f, F(1, "negationMismatch"));
        Assert.Equal(1f, F(0, "blendRankRecip"));
        Assert.Equal(0.5f, F(1, "blendRankRecip"));
    }
}
