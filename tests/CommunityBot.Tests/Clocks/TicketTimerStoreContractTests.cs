using CommunityBot.Clocks;
using CommunityBot.Tests.Harness;
using CommunityBot.Tickets;

namespace CommunityBot.Tests.Clocks;

/// <summary>
/// What every ticket timer store promises (<see cref="TicketTimerStoreTests"/> on LiteDB,
/// <see cref="Storage.Postgres.PostgresTicketTimerStoreTests"/> on PostgreSQL): one timer per ticket, read back as written
/// and replaced by the next write; the due ones listed soonest first, including one due at that very instant; a timer with
/// no NextAt, or one not yet due, never listed. Each concrete class starts every test on an empty store.
/// </summary>
public abstract class TicketTimerStoreContractTests : IAsyncLifetime
{
    protected static readonly DateTime T0 = new(2026, 11, 23, 1, 0, 0, DateTimeKind.Utc);

    /// <summary>Stores the timer in a commit of its own.</summary>
    protected abstract Task PutAsync(TicketTimer timer);

    protected abstract Task<TicketTimer?> FindAsync(string ticketNumber);

    /// <summary>Removes the ticket's timer in a commit of its own.</summary>
    protected abstract Task DeleteAsync(string ticketNumber);

    protected abstract Task<IReadOnlyList<string>> DueByAsync(DateTime utc);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [ContractFact]
    public async Task Find_TicketWithoutTimer_IsNull()
    {
        await PutAsync(Timer("WT20261123-0001", T0));

        Assert.Null(await FindAsync("WT20261123-0002"));
    }

    [ContractFact]
    public async Task Put_ThenFind_ReadsBackEveryField()
    {
        var timer = new TicketTimer
        {
            TicketNumber = "WT20261123-0001",
            NextAt = T0.AddHours(3),
            Level = TicketLevel.Community,
            WaitingSince = T0.AddMinutes(30),
            Clocks =
            [
                new ClockState
                {
                    Kind = ClockKind.Sign,
                    Unit = ClockUnit.WorkingHours,
                    Duration = TimeSpan.FromHours(4),
                    DueAt = T0.AddHours(4),
                    RemindAt = T0.AddHours(3),
                    Reminded = true,
                    PausedRemaining = TimeSpan.FromMinutes(75),
                    Escalations = 2,
                    Exhausted = true,
                },
                new ClockState { Kind = ClockKind.Close, Unit = ClockUnit.WorkingDays, Duration = TimeSpan.FromDays(3), DueAt = T0.AddDays(5), RemindAt = T0.AddDays(4) },
            ],
        };

        await PutAsync(timer);

        var stored = await FindAsync("WT20261123-0001");
        Assert.NotNull(stored);
        Assert.Equal(T0.AddHours(3), stored.NextAt?.ToUniversalTime());
        Assert.Equal(TicketLevel.Community, stored.Level);
        Assert.Equal(T0.AddMinutes(30), stored.WaitingSince?.ToUniversalTime());
        Assert.Equal([ClockKind.Sign, ClockKind.Close], stored.Clocks.Select(c => c.Kind));
        var sign = stored.Find(ClockKind.Sign)!;
        Assert.Equal(
            (ClockUnit.WorkingHours, TimeSpan.FromHours(4), T0.AddHours(4), T0.AddHours(3), true, (TimeSpan?)TimeSpan.FromMinutes(75), 2, true),
            (sign.Unit, sign.Duration, sign.DueAt.ToUniversalTime(), sign.RemindAt.ToUniversalTime(), sign.Reminded, sign.PausedRemaining, sign.Escalations, sign.Exhausted));
        var close = stored.Find(ClockKind.Close)!;
        Assert.Equal(
            (ClockUnit.WorkingDays, TimeSpan.FromDays(3), T0.AddDays(5), false, (TimeSpan?)null, 0, false),
            (close.Unit, close.Duration, close.DueAt.ToUniversalTime(), close.Reminded, close.PausedRemaining, close.Escalations, close.Exhausted));
    }

    [ContractFact]
    public async Task Put_SameTicketAgain_ReplacesTheTimer()
    {
        await PutAsync(Timer("WT20261123-0001", T0, TicketLevel.Grid));

        await PutAsync(Timer("WT20261123-0001", T0.AddHours(2), TicketLevel.Street));

        var stored = await FindAsync("WT20261123-0001");
        Assert.Equal((T0.AddHours(2), TicketLevel.Street), (stored?.NextAt?.ToUniversalTime(), stored?.Level));
        Assert.Empty(await DueByAsync(T0.AddHours(1)));
        Assert.Equal(["WT20261123-0001"], await DueByAsync(T0.AddHours(2)));
    }

    [ContractFact]
    public async Task Delete_RemovesOnlyThatTimer_AndATicketWithoutOneIsNoError()
    {
        await PutAsync(Timer("WT20261123-0001", T0));
        await PutAsync(Timer("WT20261123-0002", T0));

        await DeleteAsync("WT20261123-0001");
        await DeleteAsync("WT20261123-0009");

        Assert.Null(await FindAsync("WT20261123-0001"));
        Assert.NotNull(await FindAsync("WT20261123-0002"));
        Assert.Equal(["WT20261123-0002"], await DueByAsync(T0));
    }

    [ContractFact]
    public async Task DueBy_ListsTheDueTimersSoonestFirst_IncludingOneDueThatInstant()
    {
        await PutAsync(Timer("WT20261123-0001", T0.AddMinutes(20)));
        await PutAsync(Timer("WT20261123-0002", T0.AddMinutes(-90)));
        await PutAsync(Timer("WT20261123-0003", T0.AddMinutes(30)));
        await PutAsync(Timer("WT20261123-0004", T0.AddMinutes(30).AddSeconds(1)));
        await PutAsync(Timer("WT20261123-0005", T0.AddMinutes(5)));

        Assert.Equal(["WT20261123-0002", "WT20261123-0005", "WT20261123-0001", "WT20261123-0003"], await DueByAsync(T0.AddMinutes(30)));
        Assert.Empty(await DueByAsync(T0.AddMinutes(-91)));
    }

    [ContractFact]
    public async Task DueBy_TimerWithNothingPending_IsNeverDue()
    {
        await PutAsync(Timer("WT20261123-0001", null));
        await PutAsync(Timer("WT20261123-0002", T0));

        await PutAsync(Timer("WT20261123-0002", null)); // its last step left nothing pending

        Assert.Empty(await DueByAsync(new DateTime(2100, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
        Assert.NotNull(await FindAsync("WT20261123-0001"));
    }

    protected static TicketTimer Timer(string number, DateTime? nextAt, TicketLevel level = TicketLevel.Grid) => new()
    {
        TicketNumber = number,
        NextAt = nextAt,
        Level = level,
        Clocks = [new ClockState { Kind = ClockKind.Sign, Unit = ClockUnit.Wall, Duration = TimeSpan.FromHours(4), DueAt = T0.AddHours(4), RemindAt = T0.AddHours(3) }],
    };
}
