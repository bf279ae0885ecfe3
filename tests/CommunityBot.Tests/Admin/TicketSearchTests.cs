using CommunityBot.Storage;
using CommunityBot.Tickets;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommunityBot.Tests.Admin;

/// <summary>The console's ticket query in <see cref="TicketStore.Search"/>: filters and the viewer's scope.</summary>
public sealed class TicketSearchTests : IDisposable
{
    private static readonly DateTime Day = new(2026, 11, 24, 2, 0, 0, DateTimeKind.Utc);

    private readonly LiteDatabase _database = new(new MemoryStream());
    private readonly TicketStore _store;

    public TicketSearchTests()
    {
        _store = new TicketStore(_database, new LiteDbWriter(_database, NullLogger<LiteDbWriter>.Instance));
        var tickets = LiteDbCollections.Open<Ticket>(_database, "tickets");
        tickets.Insert(New("T1", "G1", "w1", TicketStatus.Pending, Day, coHandlers: ["w9"]));
        tickets.Insert(New("T2", "G2", "w2", TicketStatus.Resolved, Day.AddDays(1)));
        tickets.Insert(New("T3", null, "c1", TicketStatus.InProgress, Day.AddDays(2), TicketLevel.Community));
    }

    public void Dispose() => _database.Dispose();

    [Fact]
    public void Search_NoFilter_NewestFirst() =>
        Assert.Equal(["T3", "T2", "T1"], _store.Search(new TicketFilter()).Select(t => t.Number));

    [Fact]
    public void Search_HandlerScope_FindsAssignedAndCoHandledTickets()
    {
        Assert.Equal(["T1"], _store.Search(new TicketFilter { GridIds = [], HandlerIds = ["w9"] }).Select(t => t.Number));
        Assert.Equal(["T2"], _store.Search(new TicketFilter { GridIds = [], HandlerIds = ["w2"] }).Select(t => t.Number));
        Assert.Empty(_store.Search(new TicketFilter { GridIds = [], HandlerIds = [] }));
    }

    [Fact]
    public void Search_CommunityScope_GridsOrStaff() =>
        Assert.Equal(["T3", "T1"], _store.Search(new TicketFilter { GridIds = ["G1"], HandlerIds = ["c1"] }).Select(t => t.Number));

    [Fact]
    public void Search_Filters_Combine()
    {
        Assert.Equal(["T1"], _store.Search(new TicketFilter { Status = TicketStatus.Pending }).Select(t => t.Number));
        Assert.Equal(["T3"], _store.Search(new TicketFilter { Level = TicketLevel.Community }).Select(t => t.Number));
        Assert.Equal(["T2"], _store.Search(new TicketFilter { CreatedFromUtc = Day.AddDays(1), CreatedBeforeUtc = Day.AddDays(2) }).Select(t => t.Number));
        Assert.Equal(["T2"], _store.Search(new TicketFilter { GridId = "G2", Category = "噪音" }).Select(t => t.Number));
        Assert.Single(_store.Search(new TicketFilter { Limit = 1 }));
    }

    [Fact]
    public void Search_Level_IsWhereTheTicketSitsNow()
    {
        var tickets = LiteDbCollections.Open<Ticket>(_database, "tickets");
        var escalated = New("T4", "G1", "w1", TicketStatus.InProgress, Day.AddDays(3));
        escalated.EscalatedTo = TicketLevel.Street;
        tickets.Insert(escalated);
        var handledHigher = New("T5", null, "s1", TicketStatus.InProgress, Day.AddDays(4), TicketLevel.Street);
        handledHigher.EscalatedTo = TicketLevel.Community;
        tickets.Insert(handledHigher);

        Assert.Equal(["T2", "T1"], _store.Search(new TicketFilter { Level = TicketLevel.Grid }).Select(t => t.Number));
        Assert.Equal(["T3"], _store.Search(new TicketFilter { Level = TicketLevel.Community }).Select(t => t.Number));
        Assert.Equal(["T5", "T4"], _store.Search(new TicketFilter { Level = TicketLevel.Street }).Select(t => t.Number));
        Assert.Empty(_store.Search(new TicketFilter { Level = TicketLevel.District }));
    }

    [Fact]
    public async Task Search_Level_FollowsAnEscalationStoredLater()
    {
        await _store.UpdateAsync("T1", t =>
        {
            t.EscalatedTo = TicketLevel.Community;
            return true;
        });

        Assert.Equal(["T3", "T1"], _store.Search(new TicketFilter { Level = TicketLevel.Community }).Select(t => t.Number));
        Assert.Equal(["T2"], _store.Search(new TicketFilter { Level = TicketLevel.Grid }).Select(t => t.Number));
    }

    [Fact]
    public void Search_EveryFilterCombination_MatchesTheTicketsOneByOne()
    {
        // 300 varied tickets; each filter (indexed or not, with dates, scope and paging) must return exactly the
        // tickets a plain check of every ticket finds, newest first (creation times are distinct, so the order is one).
        var tickets = LiteDbCollections.Open<Ticket>(_database, "tickets");
        var random = new Random(5);
        string[] categories = ["噪音", "环境卫生", "水电气暖-水"];
        for (var i = 0; i < 300; i++)
        {
            var ticket = New(
                $"R{i:000}", $"G{random.Next(4)}", $"w{random.Next(6)}", Enum.GetValues<TicketStatus>()[random.Next(Enum.GetValues<TicketStatus>().Length)],
                Day.AddMinutes((i * 7919 % 300 * 140) + random.Next(100)), (TicketLevel)random.Next(3), random.Next(5) == 0 ? ["w7"] : null);
            ticket.Category = categories[random.Next(categories.Length)];
            ticket.EscalatedTo = random.Next(3) == 0 ? (TicketLevel)random.Next(4) : null;
            tickets.Insert(ticket);
        }

        var all = _store.All();
        TicketFilter[] filters =
        [
            new() { Level = TicketLevel.Community },
            new() { Level = TicketLevel.Street, Status = TicketStatus.Pending },
            new() { Level = TicketLevel.Grid, Skip = 20, Limit = 15 },
            new() { Status = TicketStatus.Closed, CreatedFromUtc = Day.AddDays(5), CreatedBeforeUtc = Day.AddDays(12) },
            new() { Status = TicketStatus.Pending, GridIds = ["G1"], HandlerIds = ["w7"] },
            new() { Category = "噪音", GridId = "G2", Skip = 3, Limit = 5 },
            new() { Category = "水电气暖-水", CreatedBeforeUtc = Day.AddDays(9) },
            new() { Category = "环境卫生", Level = TicketLevel.Grid, GridIds = [], HandlerIds = ["w3"] },
            new() { GridIds = [], HandlerIds = ["w7"] },
            new() { GridIds = [], HandlerIds = ["w2", "w7"], Skip = 5, Limit = 10 },
            new() { GridIds = [], HandlerIds = ["w1"], Status = TicketStatus.Pending, CreatedFromUtc = Day.AddDays(3) },
        ];
        foreach (var filter in filters)
        {
            var expected = all
                .Where(t => filter.Status is null || t.Status == filter.Status)
                .Where(t => filter.Category is null || t.Category == filter.Category)
                .Where(t => filter.GridId is null || t.GridId == filter.GridId)
                .Where(t => filter.Level is null || t.CurrentLevel == filter.Level)
                .Where(t => filter.CreatedFromUtc is null || t.CreatedAt.ToUniversalTime() >= filter.CreatedFromUtc)
                .Where(t => filter.CreatedBeforeUtc is null || t.CreatedAt.ToUniversalTime() < filter.CreatedBeforeUtc)
                .Where(t => filter.HandlerIds is null
                    || filter.GridIds!.Contains(t.GridId ?? "") || filter.HandlerIds.Contains(t.AssigneeId) || t.CoHandlers.Any(filter.HandlerIds.Contains))
                .OrderByDescending(t => t.CreatedAt)
                .Skip(filter.Skip).Take(filter.Limit)
                .Select(t => t.Number).ToList();
            Assert.NotEmpty(expected);
            Assert.Equal(expected, _store.Search(filter).Select(t => t.Number));
        }
    }

    private static Ticket New(string number, string? grid, string assignee, TicketStatus status, DateTime created, TicketLevel level = TicketLevel.Grid, List<string>? coHandlers = null) => new()
    {
        Number = number, Category = "噪音", GridId = grid, AssigneeId = assignee, Status = status, CreatedAt = created, Level = level,
        CoHandlers = coHandlers ?? [], SignBy = created, CloseBy = created,
    };
}
