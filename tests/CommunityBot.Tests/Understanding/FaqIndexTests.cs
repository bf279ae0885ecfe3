using CommunityBot.Faq;
using CommunityBot.Understanding;
using CommunityBot.Understanding.Matching;

namespace CommunityBot.Tests.Understanding;

/// <summary>
/// The FAQ index's own BM25 (it replaced Lucene.Net's): the score of a hand-worked example, the field lengths as
/// Lucene stores them, the order of the best documents, and that one search leaves nothing behind for the next.
/// </summary>
public class FaqIndexTests
{
    private static FaqIndex Index(params string[] questions) =>
        FaqIndex.Build(questions.Select((q, i) => new FaqEntry { Id = $"e{i}", Question = q, Answer = "答" }), SynonymDictionary.Empty, learnSynonyms: false);

    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(2, 2.56)]
    [InlineData(3, 4.0)]
    [InlineData(4, 4.0)]
    [InlineData(5, 5.2245)]
    [InlineData(10, 10.24)]
    [InlineData(16, 16.0)]
    [InlineData(100, 113.7778)]
    public void StoredLength_IsLucenesOneByteLength(int length, double stored)
    {
        Assert.Equal(stored, FaqIndex.StoredLength(length), 3);
    }

    [Fact]
    public void Search_ScoresBm25ByHand()
    {
        // Three documents; "beta" is only in the first. Word field lengths 2, 3, 1 (average 2; stored 2.56 for 2);
        // character field (units + bigrams) lengths 3, 5, 1 (average 3; stored 4 for 3). idf = ln(1 + 2.5 / 1.5).
        // Word clause: idf · 2.2 / (1 + 1.2 · (0.25 + 0.75 · 2.56 / 2)) = 0.88003; character clause at boost 0.5:
        // 0.5 · idf · 2.2 / (1 + 1.2 · (0.25 + 0.75 · 4 / 3)) = 0.43157; together 1.31159.
        var index = Index("alpha beta", "alpha gamma delta", "epsilon");

        var hit = Assert.Single(index.Search(index.Prepare("beta"), 10));

        Assert.Equal("e0", hit.EntryId);
        Assert.Equal(1.31159, hit.Bm25, 4);
    }

    [Fact]
    public void Search_OrdersByScoreThenByPosition_AcrossMoreDocumentsThanAsked()
    {
        // 60 documents share "common"; the longer the document, the lower its BM25, and equal lengths tie.
        var questions = Enumerable.Range(0, 60)
            .Select(i => "common " + string.Join(' ', Enumerable.Range(0, i % 6).Select(j => $"w{i}x{j}")))
            .ToArray();
        var index = Index(questions);

        var hits = index.Search(index.Prepare("common"), maxEntries: 25, maxDocs: 25);

        Assert.Equal(25, hits.Count);
        var expected = Enumerable.Range(0, 60).OrderBy(i => i % 6).ThenBy(i => i).Take(25).Select(i => $"e{i}");
        Assert.Equal(expected, hits.Select(h => h.EntryId));
        Assert.True(hits.Zip(hits.Skip(1)).All(p => p.First.Bm25 >= p.Second.Bm25));
    }

    [Fact]
    public void Search_LeavesNothingForTheNextSearch()
    {
        var index = Index("停水通知在哪看", "物业电话是多少", "垃圾几点收");
        var first = index.Search(index.Prepare("垃圾几点收"), 10);

        index.Search(index.Prepare("物业电话是多少"), 10);
        var again = index.Search(index.Prepare("垃圾几点收"), 10);

        Assert.Equal(first, again);
    }

    [Fact]
    public void Search_ManyAtOnce_GiveTheSameHitsAsOneAtATime()
    {
        // Concurrent searches each borrow their own working space; a shared one would mix their scores.
        var index = Index(Enumerable.Range(0, 300).Select(i => $"{i % 7}号楼物业电话{i}是多少").ToArray());
        var queries = Enumerable.Range(0, 200).Select(i => $"{i % 7}号楼电话{i * 3 % 300}").ToArray();
        var expected = queries.Select(q => index.Search(index.Prepare(q), 10)).ToArray();

        var actual = new List<FaqHit>[queries.Length];
        Parallel.For(0, queries.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => actual[i] = index.Search(index.Prepare(queries[i]), 10));

        for (var i = 0; i < queries.Length; i++)
        {
            Assert.Equal(expected[i], actual[i]);
        }
    }

    [Fact]
    public void NearDuplicates_SameQuestionTwice_IsOnePairWithThePhrasingsAsWritten()
    {
        var index = FaqIndex.Build(
        [
            new FaqEntry { Id = "b-phone", Question = "物业电话是多少？", Answer = "1" },
            new FaqEntry { Id = "a-phone", Question = "垃圾几点收", Similar = ["物业的电话是多少呀"], Answer = "2" },
            new FaqEntry { Id = "dogs", Question = "小区里能养狗吗", Answer = "3" },
        ], SynonymDictionary.Empty, learnSynonyms: false);

        var pair = Assert.Single(index.NearDuplicates(0.8));

        // Fillers (的, 呀) and punctuation aside the two phrasings are the same; the pair is listed once, ids in order.
        Assert.Equal(("a-phone", "物业的电话是多少呀", "b-phone", "物业电话是多少？"), (pair.EntryA, pair.PhrasingA, pair.EntryB, pair.PhrasingB));
        Assert.Equal(1.0, pair.Similarity, 3);
    }

    [Theory]
    [InlineData("3号楼几点停水", "5号楼几点停水")]
    [InlineData("小区里能养鸽子吗", "小区里不能养鸽子吗")]
    public void NearDuplicates_OtherNumberOrNegation_IsNoPair(string first, string second)
    {
        var index = Index(first, second, "垃圾几点收");

        Assert.Empty(index.NearDuplicates(0.5));
    }

    [Fact]
    public void NearDuplicates_BelowTheThreshold_IsNoPair()
    {
        var index = Index("物业费多少钱一平", "暖气费多少钱一平", "垃圾几点收", "小区能养狗吗", "停水通知在哪看");

        var similarity = Assert.Single(index.NearDuplicates(0.3)).Similarity;

        Assert.InRange(similarity, 0.3, 0.95);
        Assert.Empty(index.NearDuplicates(similarity + 0.01));
    }
}
