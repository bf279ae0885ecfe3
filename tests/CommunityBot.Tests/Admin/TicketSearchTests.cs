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

    private static Ticket New(string number, string? grid, string assignee, TicketStatus status, DateTime created, TicketLevel level = TicketLevel.Grid, List<string>? coHandlers = null) => new()
    {
        Number = number, Category = "噪音", GridId = grid, AssigneeId = assignee, Status = status, CreatedAt = created, Level = level,
        CoHandlers = coHandlers ?? [], SignBy = created, CloseBy = created,
    };
}
