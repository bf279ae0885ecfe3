using CommunityBot.Faq;
using CommunityBot.Understanding;
using CommunityBot.Understanding.Matching;

namespace CommunityBot.Tests.Understanding;

/// <summary>The matcher's levers past BM25: synonyms (written and learned), mismatch penalties and thresholds.</summary>
public class FaqMatcherLeverTests
{
    private static FaqEntry Entry(string id, string question, params string[] similar) =>
        new() { Id = id, Question = question, Similar = [.. similar], Answer = "answer " + id };

    private static FaqMatchingOptions Options(double negation = 0, double number = 0, double learned = 0) => new()
    {
        SynonymFile = "",
        NegationPenalty = negation,
        NumberPenalty = number,
        LearnedSynonymWeight = learned,
    };

    [Fact]
    public void Match_NegatedLookAlike_LosesTheNegationPenalty()
    {
        FaqEntry[] kb = [Entry("wechat-pay", "物业费能用微信交吗"), Entry("garbage", "垃圾几点收")];
        var plain = new FaqMatcher(Options(), kb, SynonymDictionary.Empty).Match("物业费不能用微信交吗").Best!;
        var penalised = new FaqMatcher(Options(negation: 0.3), kb, SynonymDictionary.Empty).Match("物业费不能用微信交吗").Best!;

        Assert.Equal("wechat-pay", penalised.Id);
        Assert.Equal(plain.Score - 0.3, penalised.Score, 3);
    }

    [Fact]
    public void Match_SameNegation_HasNoPenalty()
    {
        FaqEntry[] kb = [Entry("no-water", "家里没有水怎么办")];
        var match = new FaqMatcher(Options(negation: 0.3), kb, SynonymDictionary.Empty).Match("家里没有水怎么办");

        Assert.Equal(1.0, match.Answer!.Score, 3);
    }

    [Fact]
    public void Match_DifferentBuildingNumber_IsNotAnswered()
    {
        FaqEntry[] kb = [Entry("b3", "3号楼什么时候停水"), Entry("garbage", "垃圾几点收")];
        var plain = new FaqMatcher(Options(), kb, SynonymDictionary.Empty).Match("5号楼什么时候停水");
        var penalised = new FaqMatcher(Options(number: 0.3), kb, SynonymDictionary.Empty).Match("5号楼什么时候停水");

        Assert.Equal("b3", plain.Answer?.Id);
        Assert.Null(penalised.Answer);
        Assert.Equal(plain.Best!.Score - 0.3, penalised.Best!.Score, 3);
    }

    [Fact]
    public void Match_SameBuildingNumberWrittenInChinese_HasNoPenalty()
    {
        FaqEntry[] kb = [Entry("b3", "3号楼什么时候停水")];
        var plain = new FaqMatcher(Options(), kb, SynonymDictionary.Empty).Match("三号楼什么时候停水").Best!;
        var penalised = new FaqMatcher(Options(number: 0.3), kb, SynonymDictionary.Empty).Match("三号楼什么时候停水").Best!;

        Assert.Equal(plain.Score, penalised.Score, 3);
    }

    [Fact]
    public void Match_DictionarySynonyms_AnswerAParaphraseInOtherWords()
    {
        FaqEntry[] kb = [Entry("property-phone", "物业电话是多少"), Entry("heating", "暖气什么时候开始")];
        var synonyms = SynonymDictionary.Parse(["电话 联系方式", "物业 物管", "暖气 供暖"]);
        var options = Options();

        var with = new FaqMatcher(options, kb, synonyms).Match("物管的联系方式是多少");
        var without = new FaqMatcher(options, kb, SynonymDictionary.Empty).Match("物管的联系方式是多少");

        Assert.Equal("property-phone", with.Answer?.Id);
        Assert.Null(without.Answer);
        Assert.Equal("heating", new FaqMatcher(options, kb, synonyms).Match("什么时候开始供暖").Answer?.Id);
    }

    [Fact]
    public void Match_LearnedSynonyms_FromTwoEntriesWithThreePhrasings_RaiseTheThirdEntry()
    {
        FaqEntry[] kb =
        [
            Entry("cancel", "借款怎么取消", "贷款怎么取消", "取消借款"),
            Entry("arrival", "借款多久到账", "贷款多久到账", "借款到账时间"),
            Entry("interest", "借款利息怎么算", "利息是多少", "借款利率多少"),
        ];

        var index = FaqIndex.Build(kb);
        Assert.Contains(index.Learned.Of("贷款"), s => s.Word == "借款");

        var plain = new FaqMatcher(Options(), kb, SynonymDictionary.Empty).Match("贷款利率多少").Best!;
        var learned = new FaqMatcher(Options(learned: 0.8), kb, SynonymDictionary.Empty).Match("贷款利率多少").Best!;
        Assert.Equal("interest", learned.Id);
        Assert.True(learned.Score > plain.Score, $"{learned.Score} <= {plain.Score}");
    }

    [Theory]
    [InlineData(-0.01, -0.2, "answer")]
    [InlineData(0.01, -0.2, "suggest")]
    [InlineData(0.02, 0.01, "decline")]
    public void Match_Thresholds_DecideAnswerSuggestOrDecline(double answerOffset, double suggestOffset, string expected)
    {
        FaqEntry[] kb = [Entry("property-phone", "物业电话是多少"), Entry("heating", "暖气什么时候开始")];
        var score = new FaqMatcher(Options(), kb, SynonymDictionary.Empty).Match("物业电话多少").Best!.Score;
        Assert.InRange(score, 0.5, 0.97);
        var options = Options();
        options.AnswerThreshold = score + answerOffset;
        options.SuggestThreshold = score + suggestOffset;

        var match = new FaqMatcher(options, kb, SynonymDictionary.Empty).Match("物业电话多少");

        var actual = match.Answer is not null ? "answer" : match.Suggestions.Count > 0 ? "suggest" : "decline";
        Assert.Equal(expected, actual);
    }
}
