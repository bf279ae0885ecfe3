using CommunityBot.Oversight;

namespace CommunityBot.Tests.Oversight;

public sealed class RankingTests
{
    private static readonly AssessmentOptions Options = new() { RedListSize = 2, BlackListSize = 2, MinimumVolume = 5 };

    /// <summary>A unit whose score is <paramref name="responded"/> out of 10 (the only rate with a denominator).</summary>
    private static UnitFigures Unit(string id, int responded, int volume = 10) =>
        new() { Level = AssessmentLevel.Grid, Id = id, Name = id, Volume = volume, Responded = responded * volume / 10 };

    [Fact]
    public void Of_EqualScores_ShareRankAndSkipTheNext()
    {
        // The return rate (0 returned) also counts: score = (responded/10 + 1) / 2.
        var ranking = Ranking.Of([Unit("a", 9), Unit("b", 10), Unit("c", 9), Unit("d", 5)], Options);

        Assert.Equal([("b", 1), ("a", 2), ("c", 2), ("d", 4)], ranking.Entries.Select(e => (e.Figures.Id, e.Rank!.Value)));
    }

    [Fact]
    public void Of_TieAtRedListBoundary_AllTiedUnitsMakeTheList()
    {
        var ranking = Ranking.Of([Unit("a", 9), Unit("b", 10), Unit("c", 9), Unit("d", 5), Unit("e", 4), Unit("f", 3)], Options);

        Assert.Equal(["b", "a", "c"], ranking.RedList.Select(e => e.Figures.Id));
        Assert.Equal(["f", "e"], ranking.BlackList.Select(e => e.Figures.Id));
    }

    [Fact]
    public void Of_BelowMinimumVolume_ListedUnrankedAndOnNoList()
    {
        var ranking = Ranking.Of([Unit("a", 10), Unit("tiny", 0, volume: 4), Unit("b", 5), Unit("c", 1)], Options);

        Assert.Equal(["a", "b", "c", "tiny"], ranking.Entries.Select(e => e.Figures.Id));
        var tiny = ranking.Entries.Single(e => e.Figures.Id == "tiny");
        Assert.Null(tiny.Rank);
        Assert.DoesNotContain(tiny, ranking.RedList);
        Assert.DoesNotContain(tiny, ranking.BlackList);
    }

    [Fact]
    public void Of_FewerUnitsThanBothLists_NoUnitOnBoth()
    {
        var ranking = Ranking.Of([Unit("a", 10), Unit("b", 5), Unit("c", 1)], Options);

        Assert.Equal(["a", "b"], ranking.RedList.Select(e => e.Figures.Id));
        Assert.Equal(["c"], ranking.BlackList.Select(e => e.Figures.Id));
    }

    [Fact]
    public void Of_AllTied_EveryoneRedNoneBlack()
    {
        var ranking = Ranking.Of([Unit("a", 8), Unit("b", 8), Unit("c", 8)], Options);

        Assert.All(ranking.Entries, e => Assert.Equal(1, e.Rank));
        Assert.Equal(3, ranking.RedList.Count);
        Assert.Empty(ranking.BlackList);
    }

    [Fact]
    public void Compute_WorkersAndGrids_RankedWithMinimumVolumeFromOptions()
    {
        var tickets = Enumerable.Range(0, 6).Select(i => AssessmentFixture.Ticket($"A{i}", "g1", "w1", CommunityBot.Tickets.TicketStatus.InProgress,
                events: [AssessmentFixture.At(10, CommunityBot.Tickets.TicketEventKind.Signed)]))
            .Concat(Enumerable.Range(0, 6).Select(i => AssessmentFixture.Ticket($"B{i}", "g2", "w2", CommunityBot.Tickets.TicketStatus.Pending)))
            .Append(AssessmentFixture.Ticket("C", "g3", "w3", CommunityBot.Tickets.TicketStatus.Pending));

        var result = AssessmentFixture.Compute(tickets, new AssessmentOptions { RedListSize = 1, BlackListSize = 1, MinimumVolume = 5 });

        Assert.Equal(["g1"], result.GridRanking.RedList.Select(e => e.Figures.Id));
        Assert.Equal(["g2"], result.GridRanking.BlackList.Select(e => e.Figures.Id));
        Assert.Null(result.GridRanking.Entries.Single(e => e.Figures.Id == "g3").Rank);
        Assert.Equal(["w1"], result.WorkerRanking.RedList.Select(e => e.Figures.Id));
        Assert.Equal(["w2"], result.WorkerRanking.BlackList.Select(e => e.Figures.Id));
    }
}
