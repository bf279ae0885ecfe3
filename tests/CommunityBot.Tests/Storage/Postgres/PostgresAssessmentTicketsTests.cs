using CommunityBot.Directory;
using CommunityBot.Oversight;
using CommunityBot.Storage;
using CommunityBot.Storage.Postgres;
using CommunityBot.Tickets;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using CommunityBot.Tests.Oversight;
using static CommunityBot.Tests.Oversight.AssessmentFixture;
using Kind = CommunityBot.Tickets.TicketEventKind;

namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>
/// The monthly assessment from either source: the same tickets (<see cref="AssessmentFixture"/>'s) stored through
/// <see cref="TicketStore"/> on LiteDB and <see cref="PostgresTicketStore"/> on PostgreSQL give the same
/// <see cref="AssessmentResult"/>, field by field, as the pure computation over the tickets in memory, and the figures
/// counted by hand below.
/// </summary>
public sealed class PostgresAssessmentTicketsTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    // Every rankable unit ranked, so the rankings are compared too.
    private static readonly AssessmentOptions RankEveryUnit = new() { MinimumVolume = 1 };

    private readonly LiteDatabase _lite = new(new MemoryStream());
    private NpgsqlDataSource? _source;

    public async Task InitializeAsync()
    {
        if (PostgresTestServer.ConnectionString is null)
        {
            return;
        }

        _source = database.NewDataSource();
        await using var command = _source.CreateCommand("TRUNCATE tickets, ticket_reporters, ticket_submissions, ticket_counters");
        await command.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync()
    {
        _lite.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Responded, signed late, closed late, reopened, returned, escalated and never answered, overdue, of every grid, of a grid
    /// the directory does not know and of none, with the month's two edges: a new list each call, as the stores renumber.
    /// </summary>
    private static List<Ticket> Tickets()
    {
        var noGrid = Ticket("K", "", "w1", TicketStatus.Pending, day: 12);
        noGrid.GridId = null;
        return
        [
            Ticket("A", "g1", "w1", TicketStatus.Closed, events: [At(10, Kind.Signed), At(600, Kind.Closed), At(700, Kind.Confirmed, "解决：是；满意：是")]),
            Ticket("B", "g1", "w1", TicketStatus.Reopened, day: 3, events: [At(45, Kind.Signed), At(600, Kind.Closed), At(700, Kind.Reopened, "解决：否；满意：否")]),
            Ticket("C", "g2", "w2", TicketStatus.Returned, day: 4, events: [At(10, Kind.Returned, "不属于本网格")]),
            Ticket("D", "g2", "w2", TicketStatus.Pending, day: 5, events: [At(5, Kind.Reminded), At(60, Kind.Escalated)]),
            Ticket("E", "g3", "w3", TicketStatus.Closed, day: 6, category: "环境卫生", events:
                [At(20, Kind.Signed), At(5 * 24 * 60, Kind.Closed), At(5 * 24 * 60 + 30, Kind.Confirmed, "解决：是；满意：否")]),
            Ticket("F", "g3", "w3", TicketStatus.InProgress, day: 7, events: [At(5, Kind.Signed), At(30, Kind.Replied, "马上到 \"3号楼\"")]),
            Ticket("G", "gX", "w9", TicketStatus.Pending, day: 10, category: "环境卫生"),
            Ticket("J", "g1", "w1", TicketStatus.Pending, day: 29, hour: 23.9), // the month's last minutes
            noGrid,
            Ticket("H", "g1", "w1", TicketStatus.Pending, day: 0, hour: -0.01), // the month before
            Ticket("I", "g1", "w1", TicketStatus.Pending, day: 30, hour: 0), // exactly the next month's first instant
        ];
    }

    [PostgresFact]
    public async Task ComputeMonth_SameTicketsOnLiteDbAndPostgres_SameFiguresFieldByField_AndAsCountedByHand()
    {
        var (lite, postgres) = await ServicesAsync();

        var fromLite = await lite.ComputeMonthAsync(2026, 11);
        var fromPostgres = await postgres.ComputeMonthAsync(2026, 11);

        var inMemory = AssessmentService.Compute(
            Tickets().Select(AssessedTicket.FromTicket), MonthStart, MonthEnd, AsOf, AssessmentLevel.Grid, AssessmentFixture.Directory, Zone, RankEveryUnit)
            with { Title = "2026-11" };
        AssertSame(inMemory, fromLite);
        AssertSame(fromLite, fromPostgres);

        var street = fromPostgres.Street;
        Assert.Equal(9, street.Volume); // A–G, J and K: H is October's, I December's
        Assert.Equal(4, street.Responded); // A, B, E, F: a return, a reminder or an escalation is no response
        Assert.Equal(3, street.SignedOnTime); // B signed after 45 of its 30 minutes
        Assert.Equal(9, street.SignDue);
        Assert.Equal(1, street.ClosedOnTime); // A; E closed after five days of three, B was reopened
        Assert.Equal(9, street.CloseDue);
        Assert.Equal((3, 1, 1), (street.Closed, street.Reopened, street.Returned));
        Assert.Equal((3, 2, 1), (street.Feedback, street.Fixed, street.Satisfied));
        Assert.Equal(TimeSpan.FromMinutes(10), fromPostgres.ResponseTimes.Median); // of 5, 10, 20, 45
        Assert.Equal(TimeSpan.FromMinutes(45), fromPostgres.ResponseTimes.P90);
        Assert.Equal([TimeSpan.FromHours(10), TimeSpan.FromDays(5)], [fromPostgres.ClosingTimes.Median!.Value, fromPostgres.ClosingTimes.P90!.Value]);
        Assert.Equal(["street", "", "c1", "c2", "", "g1", "g2", "g3", "gX"], fromPostgres.Units.Select(u => u.Id));
        Assert.Equal([2, 5, 2], fromPostgres.Units.Skip(1).Take(3).Select(u => u.Volume)); // G and K; A, B, C, D, J; E, F
        Assert.Equal("未分网格", fromPostgres.Units[4].Name);
        Assert.Equal(3, fromPostgres.Units.Single(u => u.Id == "g1").Volume);
        Assert.Equal([("噪音", 7), ("环境卫生", 2)], fromPostgres.ByCategory);
        Assert.Equal(1, fromPostgres.ByDay.Single(d => d.Day == new DateOnly(2026, 11, 30)).Volume);
        Assert.Equal("网格员w9", fromPostgres.Workers.Single(w => w.Id == "w9").Name);
    }

    [PostgresFact]
    public async Task ComputeMonth_OneCommunity_SameOnLiteDbAndPostgres()
    {
        var (lite, postgres) = await ServicesAsync();

        var (liteStreet, liteOwn) = await lite.ComputeMonthAsync(2026, 11, "c2");
        var (postgresStreet, postgresOwn) = await postgres.ComputeMonthAsync(2026, 11, "c2");

        AssertSame(liteStreet, postgresStreet);
        AssertSame(liteOwn!, postgresOwn!);
        Assert.Equal(9, postgresStreet.Street.Volume);
        Assert.Equal(2, postgresOwn!.Street.Volume); // E and F, of g3
        Assert.Equal((1, 1, 0), (postgresOwn.Street.Feedback, postgresOwn.Street.Fixed, postgresOwn.Street.Satisfied)); // E's
        Assert.Equal(["street", "c2", "g3"], postgresOwn.Units.Where(u => u.Volume > 0).Select(u => u.Id));
    }

    [PostgresFact]
    public async Task CreatedBetween_StoredOnPostgres_SameFactsAsFromTheTickets()
    {
        await ServicesAsync();

        var read = await new PostgresAssessmentTickets(_source!).CreatedBetweenAsync(MonthStart, MonthEnd, CancellationToken.None).ToListAsync();

        var expected = Tickets().Take(9).Select(AssessedTicket.FromTicket).OrderBy(t => t.CreatedAt);
        // To the tick, as the document keeps them (J's creation is a fraction of a microsecond off the minute).
        Assert.Equal(expected.Select(t => t with { Number = "" }), read.Select(t => t with { Number = "" }));
        Assert.All(read, t => Assert.StartsWith("WT202611", t.Number)); // the store numbers tickets by their local day
    }

    /// <summary>The tickets stored on each provider, and a service reading each (the same directory, options and clock).</summary>
    private async Task<(AssessmentService Lite, AssessmentService Postgres)> ServicesAsync()
    {
        using (var writer = new LiteDbWriter(_lite, NullLogger<LiteDbWriter>.Instance))
        {
            _ = new TicketStore(_lite, writer); // the real indexes
            _lite.GetCollection<Ticket>("tickets").InsertBulk(Tickets());
        }

        var store = new PostgresTicketStore(_source!);
        foreach (var ticket in Tickets())
        {
            await using var connection = await _source!.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            var local = TimeZoneInfo.ConvertTimeFromUtc(ticket.CreatedAt, Zone);
            await store.CreateAsync(ticket, new DateTimeOffset(local, Zone.GetUtcOffset(ticket.CreatedAt)), transaction, CancellationToken.None);
            await transaction.CommitAsync();
        }

        var directory = new GridDirectory(new DirectoryStore(_lite), NullLogger<GridDirectory>.Instance);
        directory.Replace(AssessmentFixture.Directory.Data);
        AssessmentService Service(IAssessmentTickets tickets) => new(
            tickets, directory, Options.Create(RankEveryUnit), Options.Create(new DirectoryOptions()),
            new FakeTimeProvider(new DateTimeOffset(AsOf)), NullLogger<AssessmentService>.Instance);
        return (Service(new LiteDbAssessmentTickets(_lite)), Service(new PostgresAssessmentTickets(_source!)));
    }

    private static void AssertSame(AssessmentResult expected, AssessmentResult actual)
    {
        Assert.Equal((expected.Title, expected.FromUtc, expected.ToUtc, expected.AsOfUtc), (actual.Title, actual.FromUtc, actual.ToUtc, actual.AsOfUtc));
        Assert.Equal(expected.Units, actual.Units);
        Assert.Equal(expected.Workers, actual.Workers);
        AssertSame(expected.ResponseTimes, actual.ResponseTimes);
        AssertSame(expected.ClosingTimes, actual.ClosingTimes);
        Assert.Equal(expected.ByDay, actual.ByDay);
        Assert.Equal(expected.ByCategory, actual.ByCategory);
        AssertSame(expected.GridRanking, actual.GridRanking);
        AssertSame(expected.WorkerRanking, actual.WorkerRanking);
    }

    private static void AssertSame(TimeDistribution expected, TimeDistribution actual)
    {
        Assert.Equal((expected.Count, expected.Median, expected.P90), (actual.Count, actual.Median, actual.P90));
        Assert.Equal(expected.Buckets, actual.Buckets);
    }

    private static void AssertSame(Ranking expected, Ranking actual)
    {
        Assert.Equal(expected.Entries, actual.Entries);
        Assert.Equal(expected.RedList, actual.RedList);
        Assert.Equal(expected.BlackList, actual.BlackList);
    }
}
