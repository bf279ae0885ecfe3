using CommunityBot.Storage;
using CommunityBot.Tickets;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommunityBot.Tests.Tickets;

public sealed class TicketStoreTests : IDisposable
{
    private static readonly DateTime T0 = new(2026, 11, 23, 1, 0, 0, DateTimeKind.Utc);
    private static readonly DateTimeOffset LocalNow = new(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(8));

    private readonly LiteDatabase _database = new(new MemoryStream());
    private readonly LiteDbWriter _writer;
    private readonly TicketStore _store;

    public TicketStoreTests()
    {
        _writer = new LiteDbWriter(_database, NullLogger<LiteDbWriter>.Instance);
        _store = new TicketStore(_database, _writer);
    }

    public void Dispose()
    {
        _writer.Dispose();
        _database.Dispose();
    }

    [Fact]
    public async Task QueueOf_MixedStatuses_ReturnsOnlyPendingInProgressAndReopened()
    {
        foreach (var status in Enum.GetValues<TicketStatus>())
        {
            await CreateAsync("w1", status, signBy: T0.AddHours(1), closeBy: T0.AddDays(3), description: status.ToString());
        }

        var queue = _store.QueueOf("w1");

        Assert.Equal(
            ["InProgress", "Pending", "Reopened"],
            queue.Select(t => t.Description).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task QueueOf_PendingAndSigned_OrdersBySigningThenClosingDeadline()
    {
        await CreateAsync("w1", TicketStatus.InProgress, signBy: T0, closeBy: T0.AddHours(30), description: "closes in 30h");
        await CreateAsync("w1", TicketStatus.Pending, signBy: T0.AddHours(2), closeBy: T0.AddHours(2), description: "sign in 2h");
        await CreateAsync("w1", TicketStatus.Reopened, signBy: T0, closeBy: T0.AddHours(5), description: "closes in 5h");
        await CreateAsync("w1", TicketStatus.Pending, signBy: T0.AddHours(10), closeBy: T0.AddHours(1), description: "sign in 10h");

        var queue = _store.QueueOf("w1");

        Assert.Equal(["sign in 2h", "closes in 5h", "sign in 10h", "closes in 30h"], queue.Select(t => t.Description));
    }

    [Fact]
    public async Task QueueOf_MoreThanLimit_ReturnsTheMostUrgentUpToLimit()
    {
        for (var i = 10; i > 0; i--)
        {
            await CreateAsync("w1", TicketStatus.Pending, signBy: T0.AddHours(i), closeBy: T0.AddDays(3), description: $"{i}");
        }

        var queue = _store.QueueOf("w1", limit: 3);

        Assert.Equal(["1", "2", "3"], queue.Select(t => t.Description));
    }

    [Fact]
    public async Task QueueOf_OtherWorkersTickets_AreExcluded()
    {
        // w1 is a prefix of w10, and W1 differs only in case: LiteDB's default collation ignores case.
        await CreateAsync("w1", TicketStatus.Pending, signBy: T0.AddHours(3), closeBy: T0.AddDays(3), description: "mine");
        await CreateAsync("w10", TicketStatus.Pending, signBy: T0.AddHours(1), closeBy: T0.AddDays(3), description: "w10");
        await CreateAsync("W1", TicketStatus.Pending, signBy: T0.AddHours(2), closeBy: T0.AddDays(3), description: "W1");
        await CreateAsync("w2", TicketStatus.InProgress, signBy: T0, closeBy: T0.AddHours(1), description: "w2");

        Assert.Equal(["mine"], _store.QueueOf("w1").Select(t => t.Description));
        Assert.Empty(_store.QueueOf("w3"));
    }

    [Fact]
    public async Task QueueOf_TicketClosedAfterwards_LeavesTheQueue()
    {
        var ticket = await CreateAsync("w1", TicketStatus.Pending, signBy: T0.AddHours(1), closeBy: T0.AddDays(3), description: "lamp");

        await _store.UpdateAsync(ticket.Number, t =>
        {
            t.Status = TicketStatus.Resolved;
            return true;
        });

        Assert.Empty(_store.QueueOf("w1"));
    }

    [Fact]
    public async Task ReportedBy_ReporterAndSupporter_NewestFirstAndOnlyTheirOwn()
    {
        await CreateAsync("w1", TicketStatus.Closed, T0, T0, "old", createdAt: T0.AddDays(-30), reporters: ["local|alice"]);
        await CreateAsync("w1", TicketStatus.Pending, T0, T0, "joined", createdAt: T0.AddDays(-1), reporters: ["local|bob", "local|alice"]);
        await CreateAsync("w1", TicketStatus.Pending, T0, T0, "new", createdAt: T0, reporters: ["local|alice"]);
        await CreateAsync("w1", TicketStatus.Pending, T0, T0, "bob's", createdAt: T0.AddHours(1), reporters: ["local|bob"]);
        await CreateAsync("w1", TicketStatus.Pending, T0, T0, "alice2", createdAt: T0.AddHours(2), reporters: ["local|alice2"]);
        await CreateAsync("w1", TicketStatus.Pending, T0, T0, "Alice", createdAt: T0.AddHours(3), reporters: ["local|Alice"]);

        Assert.Equal(["new", "joined", "old"], _store.ReportedBy("local|alice").Select(t => t.Description));
        Assert.Equal(["new", "joined"], _store.ReportedBy("local|alice", limit: 2).Select(t => t.Description));
        Assert.Empty(_store.ReportedBy("local|carol"));
    }

    private Task<Ticket> CreateAsync(
        string assignee,
        TicketStatus status,
        DateTime signBy,
        DateTime closeBy,
        string description,
        DateTime? createdAt = null,
        IReadOnlyList<string>? reporters = null) =>
        _store.CreateAsync(
            new Ticket
            {
                Category = "市政管养",
                Description = description,
                AssigneeId = assignee,
                Status = status,
                CreatedAt = createdAt ?? T0,
                SignBy = signBy,
                CloseBy = closeBy,
                ReporterKeys = [.. reporters ?? ["local|alice"]],
            },
            LocalNow);
}
