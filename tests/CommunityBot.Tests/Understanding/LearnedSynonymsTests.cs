using CommunityBot.Understanding.Matching;

namespace CommunityBot.Tests.Understanding;

public class LearnedSynonymsTests
{
    private static IReadOnlyList<IReadOnlyList<string>> Entry(params string[][] phrasings) => phrasings;

    [Fact]
    public void Learn_WordsPairedInTwoEntries_BecomeSynonyms()
    {
        var learned = LearnedSynonyms.Learn(
        [
            Entry(["借款", "怎么", "取消"], ["贷款", "怎么", "取消"], ["取消", "借款"]),
            Entry(["借款", "多久", "到账"], ["贷款", "几天", "到账"]),
            Entry(["物业", "电话"]),
        ]);

        Assert.Contains(learned.Of("借款"), s => s.Word == "贷款");
        Assert.Contains(learned.Of("贷款"), s => s.Word == "借款");
        Assert.Empty(learned.Of("物业"));
    }

    [Fact]
    public void Learn_PairSeenInOneEntryOnly_IsNotKept()
    {
        var learned = LearnedSynonyms.Learn([Entry(["多久", "到账"], ["几天", "到账"])]);

        Assert.Equal(0, learned.Count);
    }
}
