using CommunityBot.Directory;
using CommunityBot.Oversight;
using CommunityBot.Storage;
using CommunityBot.Tickets;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static CommunityBot.Tests.Oversight.AssessmentFixture;
using Kind = CommunityBot.Tickets.TicketEventKind;

namespace CommunityBot.Tests.Oversight;

public sealed class AssessmentServiceTests
{
    [Fact]
    public void Compute_NoTickets_AllRatesAbsentAndEveryUnitListed()
    {
        var result = Compute([]);

        Assert.Equal(0, result.Street.Volume);
        Assert.Null(result.Street.ResponseRate);
        Assert.Null(result.Street.SolvedRate);
        Assert.Null(result.Street.SatisfiedRate);
        Assert.Null(result.Street.TimelySignRate);
        Assert.Null(result.Street.OnTimeCloseRate);
        Assert.Null(result.Street.ReopenRate);
        Assert.Null(result.Street.ReturnRate);
        Assert.Null(result.Street.Score);
        Assert.Equal(["street", "c1", "c2", "g1", "g2", "g3"], result.Units.Select(u => u.Id));
        Assert.Equal(30, result.ByDay.Count);
        Assert.All(result.ByDay, d => Assert.Equal(0, d.Volume));
        Assert.Equal(0, result.ResponseTimes.Count);
        Assert.Null(result.ResponseTimes.Median);
        Assert.Empty(result.GridRanking.RedList);
        Assert.Empty(result.WorkerRanking.Entries);
    }

    [Fact]
    public void Compute_SignedLateAndOnTime_TimelySignRateCountsOnlyDueTickets()
    {
        var result = Compute(
        [
            Ticket("A", "g1", "w1", TicketStatus.InProgress, events: [At(20, Kind.Signed)]),
            Ticket("B", "g1", "w1", TicketStatus.InProgress, events: [At(45, Kind.Signed)]),
            Ticket("C", "g1", "w1", TicketStatus.Pending), // never signed, deadline passed
            // Created just before the end of the month and not signed: its 30 minutes are not over at asOf.
            Ticket("D", "g1", "w1", TicketStatus.Pending, day: 29, hour: 23.9),
        ], asOf: MonthEnd);

        var g1 = result.Units.Single(u => u.Id == "g1");
        Assert.Equal(4, g1.Volume);
        Assert.Equal(3, g1.SignDue);
        Assert.Equal(1, g1.SignedOnTime);
        Assert.Equal(1 / 3.0, g1.TimelySignRate!.Value, 6);
        Assert.Equal(0.5, g1.ResponseRate);
    }

    [Fact]
    public void Compute_ReplyTakeOverOrCloseWithoutSigning_CountsAsResponse()
    {
        var result = Compute(
        [
            Ticket("A", "g1", "w1", TicketStatus.InProgress, events: [At(10, Kind.Replied, "马上到")]),
            Ticket("B", "g1", "w1", TicketStatus.InProgress, events: [At(20, Kind.TakenOver)]),
            Ticket("C", "g1", "w1", TicketStatus.Resolved, events: [At(90, Kind.Closed)]),
            Ticket("D", "g1", "w1", TicketStatus.Pending, events: [At(5, Kind.Reminded), At(60, Kind.Escalated)]),
        ]);

        Assert.Equal(3, result.Street.Responded);
        Assert.Equal(0.75, result.Street.ResponseRate);
        Assert.Equal(TimeSpan.FromMinutes(20), result.ResponseTimes.Median);
        Assert.Equal(TimeSpan.FromMinutes(90), result.ResponseTimes.P90);
    }

    [Fact]
    public void Compute_Feedback_SolvedAndSatisfiedRatesOverFeedbackGiven()
    {
        var result = Compute(
        [
            Ticket("A", "g1", "w1", TicketStatus.Closed, events: [At(10, Kind.Signed), At(600, Kind.Closed), At(700, Kind.Confirmed, "解决：是；满意：是")]),
            Ticket("B", "g1", "w1", TicketStatus.Reopened, events: [At(10, Kind.Signed), At(600, Kind.Closed), At(700, Kind.Reopened, "解决：是；满意：否")]),
            Ticket("C", "g1", "w1", TicketStatus.Reopened, events: [At(10, Kind.Signed), At(600, Kind.Closed), At(700, Kind.Reopened, "解决：否；满意：否")]),
            Ticket("D", "g1", "w1", TicketStatus.Resolved, events: [At(10, Kind.Signed), At(600, Kind.Closed)]), // no feedback yet
        ]);

        var street = result.Street;
        Assert.Equal(3, street.Feedback);
        Assert.Equal(2 / 3.0, street.SolvedRate!.Value, 6);
        Assert.Equal(1 / 3.0, street.SatisfiedRate!.Value, 6);
        Assert.Equal(2, street.Reopened);
        Assert.Equal(4, street.Closed);
        Assert.Equal(0.5, street.ReopenRate);
    }

    [Fact]
    public void Compute_NoFeedback_SolvedAndSatisfiedRatesAbsent()
    {
        var result = Compute([Ticket("A", "g1", "w1", TicketStatus.Resolved, events: [At(10, Kind.Signed), At(60, Kind.Closed)])]);

        Assert.Equal(0, result.Street.Feedback);
        Assert.Null(result.Street.SolvedRate);
        Assert.Null(result.Street.SatisfiedRate);
        Assert.Equal(1.0, result.Street.OnTimeCloseRate);
    }

    [Fact]
    public void Compute_ReopenedThenClosedAndConfirmed_CountsReopenAndLastAnswerAndLastClose()
    {
        var result = Compute(
        [
            Ticket("A", "g1", "w1", TicketStatus.Closed, events:
            [
                At(10, Kind.Signed), At(60, Kind.Closed), At(120, Kind.Reopened, "解决：否；满意：否"),
                At(130, Kind.Signed), At(5 * 24 * 60, Kind.Closed), At(5 * 24 * 60 + 30, Kind.Confirmed, "解决：是；满意：是"),
            ]),
        ]);

        var street = result.Street;
        Assert.Equal(1.0, street.ReopenRate);
        Assert.Equal(1.0, street.SolvedRate); // the resident's last answer
        Assert.Equal(1.0, street.SatisfiedRate);
        Assert.Equal(0.0, street.OnTimeCloseRate); // finally closed after five days, the deadline was three
        Assert.Equal(TimeSpan.FromDays(5), result.ClosingTimes.Median);
        Assert.Equal(TimeSpan.FromMinutes(10), result.ResponseTimes.Median); // the first response, not the second signing
    }

    [Fact]
    public void Compute_FeedbackWithoutStructuredNote_EventAnswersBothQuestions()
    {
        var result = Compute(
        [
            Ticket("A", "g1", "w1", TicketStatus.Closed, events: [At(60, Kind.Closed), At(70, Kind.Confirmed, "已解决，满意")]),
            Ticket("B", "g1", "w1", TicketStatus.Reopened, events: [At(60, Kind.Closed), At(70, Kind.Reopened, "未解决")]),
            // A worker reopening is not the resident's feedback.
            Ticket("C", "g1", "w1", TicketStatus.Closed, events: [At(60, Kind.Closed)]),
        ]);

        Assert.Equal(2, result.Street.Feedback);
        Assert.Equal(0.5, result.Street.SolvedRate);
        Assert.Equal(0.5, result.Street.SatisfiedRate);
    }

    [Fact]
    public void Compute_ClosingDeadlines_OnTimeCloseRateCountsDueAndDone()
    {
        var result = Compute(
        [
            Ticket("A", "g1", "w1", TicketStatus.Resolved, events: [At(10, Kind.Signed), At(2 * 24 * 60, Kind.Closed)]),
            Ticket("B", "g1", "w1", TicketStatus.Closed, events: [At(10, Kind.Signed), At(4 * 24 * 60, Kind.Closed)]),
            Ticket("C", "g1", "w1", TicketStatus.InProgress, events: [At(10, Kind.Signed)]), // overdue and open
            Ticket("D", "g1", "w1", TicketStatus.InProgress, day: 29, events: [At(10, Kind.Signed)]), // not due yet at asOf
        ], asOf: MonthEnd);

        Assert.Equal(3, result.Street.CloseDue);
        Assert.Equal(1, result.Street.ClosedOnTime);
        Assert.Equal(1 / 3.0, result.Street.OnTimeCloseRate!.Value, 6);
        Assert.Equal(2, result.ClosingTimes.Count);
    }

    [Fact]
    public void Compute_Returned_ReturnRateOverVolume()
    {
        var result = Compute(
        [
            Ticket("A", "g2", "w2", TicketStatus.Returned, events: [At(10, Kind.Returned, "不属于本网格")]),
            Ticket("B", "g2", "w2", TicketStatus.InProgress, events: [At(10, Kind.Signed)]),
            Ticket("C", "g2", "w2", TicketStatus.InProgress, events: [At(10, Kind.Signed)]),
            Ticket("D", "g2", "w2", TicketStatus.InProgress, events: [At(10, Kind.Signed)]),
        ]);

        Assert.Equal(0.25, result.Units.Single(u => u.Id == "g2").ReturnRate);
    }

    [Fact]
    public void Compute_TicketsOfSeveralGrids_RollUpToCommunityAndStreet()
    {
        var result = Compute(
        [
            Ticket("A", "g1", "w1", TicketStatus.Pending, category: "噪音"),
            Ticket("B", "g2", "w2", TicketStatus.Pending, category: "环境卫生"),
            Ticket("C", "g3", "w3", TicketStatus.Pending, category: "噪音"),
            Ticket("D", "gX", "w9", TicketStatus.Pending, category: "噪音"), // a grid no longer in the directory
            Ticket("E", "g1", "w1", TicketStatus.Pending, day: 40), // after the month
        ]);

        Assert.Equal(4, result.Street.Volume);
        Assert.Equal(2, result.Units.Single(u => u.Id == "c1").Volume);
        Assert.Equal(1, result.Units.Single(u => u.Id == "c2").Volume);
        Assert.Equal("东社区", result.Units.Single(u => u.Id == "g1").Parent);
        Assert.Equal(1, result.Units.Single(u => u.Id == "gX").Volume);
        Assert.Equal([("噪音", 3), ("环境卫生", 1)], result.ByCategory);
        Assert.Equal(4, result.ByDay.Single(d => d.Day == new DateOnly(2026, 11, 2)).Volume);
        Assert.Equal("王芳", result.Workers.Single(w => w.Id == "w1").Name);
        Assert.Equal("网格员w9", result.Workers.Single(w => w.Id == "w9").Name);
    }

    [Theory]
    [InlineData(AssessmentLevel.Street, new[] { "street" })]
    [InlineData(AssessmentLevel.Community, new[] { "street", "c1", "c2" })]
    [InlineData(AssessmentLevel.Grid, new[] { "street", "c1", "c2", "g1", "g2", "g3" })]
    public void Compute_Level_UnitsDownToThatLevelAndRankingsAlways(AssessmentLevel level, string[] ids)
    {
        var result = AssessmentService.Compute(
            [AssessedTicket.FromTicket(Ticket("A", "g1", "w1", TicketStatus.Pending))], MonthStart, MonthEnd, AsOf, level,
            AssessmentFixture.Directory, Zone, new AssessmentOptions());

        Assert.Equal(ids, result.Units.Select(u => u.Id));
        Assert.Equal(3, result.GridRanking.Entries.Count);
        Assert.Single(result.Workers);
    }

    [Fact]
    public void Compute_ResponseTimes_HistogramBucketsAndNearestRankPercentiles()
    {
        var minutes = new[] { 3, 10, 10, 50, 100, 200, 300, 2000, 2000, 5000 };
        var result = Compute(minutes.Select((m, i) => Ticket($"T{i}", "g1", "w1", TicketStatus.InProgress, events: [At(m, Kind.Signed)])));

        Assert.Equal(TimeSpan.FromMinutes(100), result.ResponseTimes.Median);
        Assert.Equal(TimeSpan.FromMinutes(2000), result.ResponseTimes.P90);
        Assert.Equal([1, 2, 1, 1, 1, 1, 3], result.ResponseTimes.Buckets.Select(b => b.Count));
        Assert.Equal(100, result.Units.Single(u => u.Id == "g1").ResponseMedianMinutes);
    }

    [Fact]
    public void Read_StoredTickets_SameFactsAsFromTheTicketsAndFromTheProjection()
    {
        using var database = new LiteDatabase(new MemoryStream());
        var tickets = new[]
        {
            Ticket("A", "g1", "w1", TicketStatus.Closed, events: [At(10, Kind.Signed), At(60, Kind.Closed), At(70, Kind.Confirmed, "解决：是；满意：否")]),
            Ticket("B", "g2", "w2", TicketStatus.Returned, events: [At(10, Kind.Returned, "不属于本网格")]),
            Ticket("C", "g3", "w3", TicketStatus.Reopened, day: 5, events: [At(60, Kind.Closed), At(70, Kind.Reopened, "解决：否；满意：否")]),
            Ticket("D", "g3", "w3", TicketStatus.Pending, day: 31),
        };
        using (var writer = new LiteDbWriter(database, NullLogger<LiteDbWriter>.Instance))
        {
            _ = new TicketStore(database, writer); // the real indexes
            database.GetCollection<Ticket>("tickets").InsertBulk(tickets);
        }

        var read = new LiteDbAssessmentTickets(database).Read(MonthStart, MonthEnd).OrderBy(t => t.Number).ToList();

        var projected = database.GetCollection("tickets").Query().Select(AssessedTicket.Projection).ToEnumerable()
            .Select(AssessedTicket.FromBson).Where(t => t.CreatedAt < MonthEnd).OrderBy(t => t.Number).ToList();

        Assert.Equal(tickets.Take(3).Select(AssessedTicket.FromTicket), read, new FactsComparer());
        Assert.Equal(read, projected, new FactsComparer());
    }

    [Fact]
    public async Task ComputeMonth_StoredTickets_UsesLocalMonthBounds()
    {
        using var database = new LiteDatabase(new MemoryStream());
        var first = Ticket("A", "g1", "w1", TicketStatus.Pending, day: 0, hour: 0); // 2026-11-01 00:00 local
        var before = Ticket("B", "g1", "w1", TicketStatus.Pending, day: 0, hour: -0.01); // 2026-10-31 23:59 local
        database.GetCollection<Ticket>("tickets").InsertBulk([first, before]);

        var result = await Service(database).ComputeMonthAsync(2026, 11);

        Assert.Equal("2026-11", result.Title);
        Assert.Equal(1, result.Street.Volume);
        Assert.Equal(MonthStart, result.FromUtc);
        Assert.Equal(MonthEnd, result.ToUtc);
    }

    private static AssessmentService Service(LiteDatabase database)
    {
        var directory = new GridDirectory(new DirectoryStore(database), NullLogger<GridDirectory>.Instance);
        directory.Replace(AssessmentFixture.Directory.Data);
        return new AssessmentService(
            new LiteDbAssessmentTickets(database), directory, Options.Create(new AssessmentOptions()), Options.Create(new DirectoryOptions()),
            new FakeTimeProvider(new DateTimeOffset(AsOf)), NullLogger<AssessmentService>.Instance);
    }

    /// <summary>LiteDB keeps milliseconds, so times compare to the millisecond.</summary>
    private sealed class FactsComparer : IEqualityComparer<AssessedTicket>
    {
        public bool Equals(AssessedTicket? x, AssessedTicket? y) =>
            x is not null && y is not null && Normal(x) == Normal(y);

        public int GetHashCode(AssessedTicket obj) => obj.Number.GetHashCode(StringComparison.Ordinal);

        private static AssessedTicket Normal(AssessedTicket t) => t with
        {
            CreatedAt = Ms(t.CreatedAt),
            SignBy = Ms(t.SignBy),
            CloseBy = Ms(t.CloseBy),
            FirstResponse = t.FirstResponse is { } r ? Ms(r) : null,
            FirstSigned = t.FirstSigned is { } s ? Ms(s) : null,
            LastClosed = t.LastClosed is { } c ? Ms(c) : null,
        };

        private static DateTime Ms(DateTime t) => new(t.Ticks - (t.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
    }
}
