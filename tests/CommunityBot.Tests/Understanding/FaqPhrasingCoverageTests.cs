using CommunityBot.Faq;
using CommunityBot.Understanding;
using CommunityBot.Understanding.Matching;

namespace CommunityBot.Tests.Understanding;

/// <summary>
/// How much of an entry's phrasing a message says (<see cref="FaqHit.PhrasingCoverage"/>) and the rule that a
/// message leaving out most of it is suggested rather than answered (<see cref="FaqMatchingOptions.MinPhrasingCoverage"/>).
/// </summary>
public class FaqPhrasingCoverageTests
{
    private static readonly FaqEntry[] Kb =
    [
        new() { Id = "water-bill", Question = "水费在哪里交", Answer = "水务公众号" },
        new() { Id = "property-fee", Question = "物业费在哪里交", Answer = "物业服务中心" },
        new() { Id = "garbage", Question = "垃圾几点收", Answer = "早7点" },
    ];

    private static FaqHit Hit(string message, string entryId)
    {
        var index = FaqIndex.Build(Kb, SynonymDictionary.Empty);
        return index.Search(index.Prepare(message), 10).Single(h => h.EntryId == entryId);
    }

    private static FaqMatcher Matcher(double minCoverage) =>
        new(new FaqMatchingOptions { SynonymFile = "", AnswerThreshold = 0.3, SuggestThreshold = 0.1, MinPhrasingCoverage = minCoverage },
            Kb, SynonymDictionary.Empty);

    [Fact]
    public void Search_MessageSayingEverythingThePhrasingSays_CoversItWhole()
    {
        // The extra words of the message do not matter: coverage is of the phrasing.
        Assert.Equal(1.0, Hit("请问水费在哪里交呀，急", "water-bill").PhrasingCoverage, 3);
    }

    [Fact]
    public void Search_MessageWithoutThePhrasingsSubject_CoversLess()
    {
        var full = Hit("水费在哪里交", "water-bill").PhrasingCoverage;
        var vague = Hit("在哪里交", "water-bill").PhrasingCoverage;

        Assert.InRange(vague, 0.01, full - 0.2);
    }

    [Fact]
    public void Match_VagueMessageFittingTwoEntries_IsSuggestedNotAnswered()
    {
        var match = Matcher(minCoverage: 0.6).Match("在哪里交");

        Assert.Null(match.Answer);
        Assert.Contains(match.Suggestions, s => s.Id == "water-bill");
        Assert.Contains(match.Suggestions, s => s.Id == "property-fee");
    }

    [Fact]
    public void Match_VagueMessageWithTheRuleOff_IsAnsweredOnConfidenceAlone()
    {
        // The same message and threshold: only the coverage rule made the difference above.
        Assert.NotNull(Matcher(minCoverage: 0).Match("在哪里交").Answer);
    }

    [Fact]
    public void Match_MessageNamingTheSubject_IsAnswered()
    {
        Assert.Equal("property-fee", Matcher(minCoverage: 0.6).Match("物业费在哪儿交啊").Answer?.Id);
    }
}
