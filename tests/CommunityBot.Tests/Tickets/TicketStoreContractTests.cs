using CommunityBot.Tests.Harness;
using CommunityBot.Tickets;

namespace CommunityBot.Tests.Tickets;

/// <summary>
/// The ticket store contract, one set of assertions for every implementation (<see cref="TicketStoreTests"/> on LiteDB,
/// <see cref="Storage.Postgres.PostgresTicketStoreTests"/> on PostgreSQL): numbers per local day without gaps, a create or
/// update and what is written with it kept together or not at all, the worker queue, "我的工单", the console's search, the
/// duplicate candidates and the submissions. Each concrete class starts every test on an empty store.
/// </summary>
public abstract class TicketStoreContractTests : IAsyncLifetime
{
    protected static readonly DateTime T0 = new(2026, 11, 23, 1, 0, 0, DateTimeKind.Utc);
    protected static readonly DateTimeOffset LocalNow = new(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(8));

    /// <summary>
    /// Creates the ticket in one commit with <paramref name="alsoWrite"/> (run after the ticket is numbered and written); when
    /// it throws, nothing of the create is kept and the exception propagates.
    /// </summary>
    protected abstract Task<Ticket> CreateAsync(Ticket ticket, DateTimeOffset localNow, Action<Ticket>? alsoWrite = null);

    /// <summary>The store's update in one commit with <paramref name="alsoWrite"/> (run only when the change was made).</summary>
    protected abstract Task<Ticket?> UpdateAsync(string number, Func<Ticket, bool> change, Action<Ticket>? alsoWrite = null);

    protected abstract Task<Ticket?> FindAsync(string number);

    protected abstract Task<IReadOnlyList<Ticket>> AllAsync();

    protected abstract Task<IReadOnlyList<Ticket>> ReportedByAsync(string reporterKey, int limit = 20);

    protected abstract Task<IReadOnlyList<Ticket>> QueueOfAsync(string workerId, int limit = 50);

    /// <summary>The first <paramref name="take"/> tickets of the store's lazily read list.</summary>
    protected abstract Task<IReadOnlyList<Ticket>> CreatedBetweenAsync(DateTime fromUtc, DateTime toUtc, int take = int.MaxValue);

    protected abstract Task<IReadOnlyList<Ticket>> SearchAsync(TicketFilter filter);

    protected abstract Task<IReadOnlyList<Ticket>> OpenSinceAsync(DateTime since);

    protected abstract Task<string?> TicketOfSubmissionAsync(string submissionKey);

    protected abstract Task<int> DeleteSubmissionsBeforeAsync(DateTime cutoffUtc);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [ContractFact]
    public async Task Create_OneDay_NumbersFromOneWithoutGaps()
    {
        var numbers = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            numbers.Add((await CreateAsync(New("w1", TicketStatus.Pending, T0, T0, $"{i}"), LocalNow)).Number);
        }

        Assert.Equal(["WT20261123-0001", "WT20261123-0002", "WT20261123-0003"], numbers);
        Assert.Equal(numbers, (await AllAsync()).Select(t => t.Number).Order(StringComparer.Ordinal));
    }

    [ContractFact]
    public async Task Create_DayBoundary_IsMidnightInTheLocalTimeGiven()
    {
        var offset = TimeSpan.FromHours(8);
        // 23:59:59.999 and 00:00 local are 15:59:59.999 and 16:00 UTC of the same UTC day.
        var lastInstant = new DateTimeOffset(2026, 11, 23, 23, 59, 59, 999, offset);
        var midnight = new DateTimeOffset(2026, 11, 24, 0, 0, 0, offset);

        var late = await CreateAsync(New("w1", TicketStatus.Pending, T0, T0, "late"), lastInstant);
        var early = await CreateAsync(New("w1", TicketStatus.Pending, T0, T0, "early"), midnight);
        var next = await CreateAsync(New("w1", TicketStatus.Pending, T0, T0, "next"), midnight.AddHours(23));
        var lateAgain = await CreateAsync(New("w1", TicketStatus.Pending, T0, T0, "late again"), lastInstant.AddMinutes(-1));
        var utc = await CreateAsync(New("w1", TicketStatus.Pending, T0, T0, "utc"), midnight.ToUniversalTime());

        Assert.Equal("WT20261123-0001", late.Number);
        Assert.Equal("WT20261124-0001", early.Number);
        Assert.Equal("WT20261124-0002", next.Number);
        Assert.Equal("WT20261123-0002", lateAgain.Number);
        Assert.Equal("WT20261123-0003", utc.Number); // the calendar of the offset given: 16:00 on the 23rd in UTC
    }

    [ContractFact]
    public async Task Create_AlsoWriteFails_KeepsNothingAndLeavesNoGap()
    {
        var first = await CreateAsync(New("w1", TicketStatus.Pending, T0, T0, "first"), LocalNow);
        var failing = New("w1", TicketStatus.Pending, T0, T0, "failing");
        failing.SubmissionKey = "wecom|MSG-1";

        await Assert.ThrowsAsync<InvalidOperationException>(() => CreateAsync(failing, LocalNow, _ => throw new InvalidOperationException("outbox down")));
        var after = await CreateAsync(New("w1", TicketStatus.Pending, T0, T0, "after"), LocalNow);

        Assert.Equal("WT20261123-0001", first.Number);
        Assert.Equal("WT20261123-0002", after.Number);
        Assert.Equal(["first", "after"], (await AllAsync()).Select(t => t.Description));
        Assert.Null(await TicketOfSubmissionAsync("wecom|MSG-1"));
    }

    [ContractFact]
    public async Task Create_AlsoWrite_SeesTheNumberedTicket()
    {
        string? seen = null;

        var ticket = await CreateAsync(New("w1", TicketStatus.Pending, T0, T0, "lamp"), LocalNow, t => seen = t.Number);

        Assert.Equal("WT20261123-0001", seen);
        Assert.Equal(ticket.Number, seen);
    }

    [ContractFact]
    public async Task Find_AfterCreate_ReadsBackEveryField()
    {
        var ticket = New("w1", TicketStatus.Reopened, T0.AddHours(1), T0.AddDays(3), "5号楼楼下烧烤店天天半夜吵\u0000得睡不着", createdAt: T0, reporters: ["wecom|alice", "wecom|bob"]);
        ticket.CompoundId = "c1";
        ticket.CompoundName = "幸福小区";
        ticket.Building = "5";
        ticket.Unit = "2";
        ticket.Room = "301";
        ticket.Landmark = null;
        ticket.When = "昨晚十点";
        ticket.Photos = ["media:abc"];
        ticket.Reporter = new TicketReporter { Channel = "wecom", UserId = "alice", UserName = "Alice 王", Conversation = "{\"id\":\"g1\"}", Phone = "13812345678", MaskedPhone = "138****5678" };
        ticket.Supporters = [new TicketReporter { Channel = "wecom", UserId = "bob", UserName = "Bob" }];
        ticket.SubmissionKey = "wecom|MSG-7";
        ticket.GridId = "G1";
        ticket.AssigneeName = "张网格";
        ticket.CoHandlers = ["w9", "w8"];
        ticket.Level = TicketLevel.Community;
        ticket.EscalatedTo = TicketLevel.Street;
        ticket.Events =
        [
            new TicketEvent { At = T0, Actor = "resident:wecom|alice", Kind = TicketEventKind.Created, Note = "吵" },
            new TicketEvent { At = T0.AddHours(2), Actor = "w1", Kind = TicketEventKind.Closed, Note = "已处理", Photos = ["https://example.org/after.jpg"] },
        ];

        var created = await CreateAsync(ticket, LocalNow);
        var read = await FindAsync(created.Number);

        Assert.NotNull(read);
        Assert.Equal(created.Number, read.Number);
        Assert.Equal(ticket.Description, read.Description);
        Assert.Equal(("c1", "幸福小区", "5", "2", "301", (string?)null, "昨晚十点"), (read.CompoundId, read.CompoundName, read.Building, read.Unit, read.Room, read.Landmark, read.When));
        Assert.Equal(["media:abc"], read.Photos);
        Assert.Equal(("wecom", "alice", "Alice 王", "{\"id\":\"g1\"}", "13812345678", "138****5678"),
            (read.Reporter.Channel, read.Reporter.UserId, read.Reporter.UserName, read.Reporter.Conversation, read.Reporter.Phone, read.Reporter.MaskedPhone));
        Assert.Equal("bob", Assert.Single(read.Supporters).UserId);
        Assert.Null(read.Supporters[0].Phone);
        Assert.Equal(["wecom|alice", "wecom|bob"], read.ReporterKeys);
        Assert.Equal("wecom|MSG-7", read.SubmissionKey);
        Assert.Equal(("G1", "w1", "张网格"), (read.GridId, read.AssigneeId, read.AssigneeName));
        Assert.Equal(["w9", "w8"], read.CoHandlers);
        Assert.Equal((TicketLevel.Community, TicketLevel.Street, TicketLevel.Street), (read.Level, read.EscalatedTo, read.CurrentLevel));
        Assert.Equal(TicketStatus.Reopened, read.Status);
        Assert.Equal((T0, T0.AddHours(1), T0.AddDays(3)), (read.CreatedAt.ToUniversalTime(), read.SignBy.ToUniversalTime(), read.CloseBy.ToUniversalTime()));
        Assert.Equal([TicketEventKind.Created, TicketEventKind.Closed], read.Events.Select(e => e.Kind));
        Assert.Equal(T0.AddHours(2), read.Events[1].At.ToUniversalTime());
        Assert.Equal(("w1", "已处理"), (read.Events[1].Actor, read.Events[1].Note));
        Assert.Equal(["https://example.org/after.jpg"], read.ClosingPhotos);
        Assert.Equal("幸福小区5号楼2单元", read.PublicLocation);
        Assert.Null(await FindAsync("WT20261123-0099"));
    }

    [ContractFact]
    public async Task Update_Change_IsStoredAndReturned()
    {
        var ticket = await CreateAsync(New("w1", TicketStatus.Pending, T0, T0, "lamp"), LocalNow);

        var updated = await UpdateAsync(ticket.Number, t =>
        {
            t.Status = TicketStatus.InProgress;
            t.Events.Add(new TicketEvent { At = T0.AddMinutes(5), Actor = "w1", Kind = TicketEventKind.Signed });
            return true;
        });

        Assert.Equal(TicketStatus.InProgress, updated?.Status);
        var read = await FindAsync(ticket.Number);
        Assert.Equal(TicketStatus.InProgress, read?.Status);
        Assert.Equal(TicketEventKind.Signed, read?.Events.Last().Kind);
    }

    [ContractFact]
    public async Task Update_ChangeDeclinedOrNoTicket_StoresNothingAndReturnsNull()
    {
        var ticket = await CreateAsync(New("w1", TicketStatus.Pending, T0, T0, "lamp"), LocalNow);
        var alsoWritten = false;

        var declined = await UpdateAsync(ticket.Number, t =>
        {
            t.Description = "changed but declined";
            return false;
        }, _ => alsoWritten = true);
        var missing = await UpdateAsync("WT20261123-0099", _ => true, _ => alsoWritten = true);

        Assert.Null(declined);
        Assert.Null(missing);
        Assert.False(alsoWritten);
        Assert.Equal("lamp", (await FindAsync(ticket.Number))?.Description);
    }

    [ContractFact]
    public async Task Update_AlsoWriteFails_KeepsTheTicketAsItWas()
    {
        var ticket = await CreateAsync(New("w1", TicketStatus.Pending, T0, T0, "lamp"), LocalNow);

        await Assert.ThrowsAsync<InvalidOperationException>(() => UpdateAsync(ticket.Number, t =>
        {
            t.Status = TicketStatus.Resolved;
            return true;
        }, _ => throw new InvalidOperationException("outbox down")));

        Assert.Equal(TicketStatus.Pending, (await FindAsync(ticket.Number))?.Status);
        Assert.Single(await QueueOfAsync("w1"));
    }

    [ContractFact]
    public async Task QueueOf_MixedStatuses_ReturnsOnlyPendingInProgressAndReopened()
    {
        foreach (var status in Enum.GetValues<TicketStatus>())
        {
            await CreateAsync(New("w1", status, signBy: T0.AddHours(1), closeBy: T0.AddDays(3), description: status.ToString()), LocalNow);
        }

        var queue = await QueueOfAsync("w1");

        Assert.Equal(["InProgress", "Pending", "Reopened"], queue.Select(t => t.Description).Order(StringComparer.Ordinal));
    }

    [ContractFact]
    public async Task QueueOf_PendingAndSigned_OrdersBySigningThenClosingDeadline()
    {
        await CreateAsync(New("w1", TicketStatus.InProgress, signBy: T0, closeBy: T0.AddHours(30), description: "closes in 30h"), LocalNow);
        await CreateAsync(New("w1", TicketStatus.Pending, signBy: T0.AddHours(2), closeBy: T0.AddHours(2), description: "sign in 2h"), LocalNow);
        await CreateAsync(New("w1", TicketStatus.Reopened, signBy: T0, closeBy: T0.AddHours(5), description: "closes in 5h"), LocalNow);
        await CreateAsync(New("w1", TicketStatus.Pending, signBy: T0.AddHours(10), closeBy: T0.AddHours(1), description: "sign in 10h"), LocalNow);

        var queue = await QueueOfAsync("w1");

        Assert.Equal(["sign in 2h", "closes in 5h", "sign in 10h", "closes in 30h"], queue.Select(t => t.Description));
    }

    [ContractFact]
    public async Task QueueOf_MoreThanLimit_ReturnsTheMostUrgentUpToLimit()
    {
        for (var i = 10; i > 0; i--)
        {
            await CreateAsync(New("w1", TicketStatus.Pending, signBy: T0.AddHours(i), closeBy: T0.AddDays(3), description: $"{i}"), LocalNow);
        }

        var queue = await QueueOfAsync("w1", limit: 3);

        Assert.Equal(["1", "2", "3"], queue.Select(t => t.Description));
    }

    [ContractFact]
    public async Task QueueOf_OtherWorkersTickets_AreExcluded()
    {
        // w1 is a prefix of w10, and W1 differs only in case: LiteDB's default collation ignores case.
        await CreateAsync(New("w1", TicketStatus.Pending, signBy: T0.AddHours(3), closeBy: T0.AddDays(3), description: "mine"), LocalNow);
        await CreateAsync(New("w10", TicketStatus.Pending, signBy: T0.AddHours(1), closeBy: T0.AddDays(3), description: "w10"), LocalNow);
        await CreateAsync(New("W1", TicketStatus.Pending, signBy: T0.AddHours(2), closeBy: T0.AddDays(3), description: "W1"), LocalNow);
        await CreateAsync(New("w2", TicketStatus.InProgress, signBy: T0, closeBy: T0.AddHours(1), description: "w2"), LocalNow);

        Assert.Equal(["mine"], (await QueueOfAsync("w1")).Select(t => t.Description));
        Assert.Empty(await QueueOfAsync("w3"));
    }

    [ContractFact]
    public async Task QueueOf_TicketClosedOrTransferredAfterwards_LeavesTheQueue()
    {
        var closed = await CreateAsync(New("w1", TicketStatus.Pending, signBy: T0.AddHours(1), closeBy: T0.AddDays(3), description: "lamp"), LocalNow);
        var moved = await CreateAsync(New("w1", TicketStatus.InProgress, signBy: T0, closeBy: T0.AddDays(2), description: "drain"), LocalNow);

        await UpdateAsync(closed.Number, t =>
        {
            t.Status = TicketStatus.Resolved;
            return true;
        });
        await UpdateAsync(moved.Number, t =>
        {
            t.AssigneeId = "w2";
            t.Status = TicketStatus.Pending;
            t.SignBy = T0.AddHours(4);
            return true;
        });

        Assert.Empty(await QueueOfAsync("w1"));
        Assert.Equal(["drain"], (await QueueOfAsync("w2")).Select(t => t.Description));
    }

    [ContractFact]
    public async Task QueueOf_SignedAfterwards_IsOrderedByTheClosingDeadline()
    {
        var signed = await CreateAsync(New("w1", TicketStatus.Pending, signBy: T0.AddHours(1), closeBy: T0.AddDays(3), description: "signed"), LocalNow);
        await CreateAsync(New("w1", TicketStatus.Pending, signBy: T0.AddHours(5), closeBy: T0.AddDays(1), description: "pending"), LocalNow);

        await UpdateAsync(signed.Number, t =>
        {
            t.Status = TicketStatus.InProgress;
            return true;
        });

        Assert.Equal(["pending", "signed"], (await QueueOfAsync("w1")).Select(t => t.Description));
    }

    [ContractFact]
    public async Task ReportedBy_ReporterAndSupporter_NewestFirstAndOnlyTheirOwn()
    {
        await CreateAsync(New("w1", TicketStatus.Closed, T0, T0, "old", createdAt: T0.AddDays(-30), reporters: ["local|alice"]), LocalNow);
        await CreateAsync(New("w1", TicketStatus.Pending, T0, T0, "joined", createdAt: T0.AddDays(-1), reporters: ["local|bob", "local|alice"]), LocalNow);
        await CreateAsync(New("w1", TicketStatus.Pending, T0, T0, "new", createdAt: T0, reporters: ["local|alice"]), LocalNow);
        await CreateAsync(New("w1", TicketStatus.Pending, T0, T0, "bob's", createdAt: T0.AddHours(1), reporters: ["local|bob"]), LocalNow);
        await CreateAsync(New("w1", TicketStatus.Pending, T0, T0, "alice2", createdAt: T0.AddHours(2), reporters: ["local|alice2"]), LocalNow);
        await CreateAsync(New("w1", TicketStatus.Pending, T0, T0, "Alice", createdAt: T0.AddHours(3), reporters: ["local|Alice"]), LocalNow);

        Assert.Equal(["new", "joined", "old"], (await ReportedByAsync("local|alice")).Select(t => t.Description));
        Assert.Equal(["new", "joined"], (await ReportedByAsync("local|alice", limit: 2)).Select(t => t.Description));
        Assert.Empty(await ReportedByAsync("local|carol"));
    }

    [ContractFact]
    public async Task ReportedBy_SupporterJoinsLater_FindsTheTicketOnce()
    {
        var ticket = await CreateAsync(New("w1", TicketStatus.Pending, T0, T0, "noise", reporters: ["local|alice"]), LocalNow);

        await UpdateAsync(ticket.Number, t =>
        {
            t.Supporters.Add(new TicketReporter { Channel = "local", UserId = "carol" });
            t.ReporterKeys.Add("local|carol");
            return true;
        });
        await UpdateAsync(ticket.Number, t =>
        {
            t.Status = TicketStatus.InProgress;
            return true;
        });

        Assert.Equal(["noise"], (await ReportedByAsync("local|carol")).Select(t => t.Description));
        Assert.Equal(TicketStatus.InProgress, Assert.Single(await ReportedByAsync("local|alice")).Status);
    }

    [ContractFact]
    public async Task CreatedBetween_InclusiveBounds_NewestFirst_ReadLazily()
    {
        for (var i = 0; i < 5; i++)
        {
            await CreateAsync(New("w1", TicketStatus.Pending, T0, T0, $"{i}", createdAt: T0.AddHours(i)), LocalNow);
        }

        Assert.Equal(["3", "2", "1"], (await CreatedBetweenAsync(T0.AddHours(1), T0.AddHours(3))).Select(t => t.Description));
        Assert.Equal(["4", "3"], (await CreatedBetweenAsync(T0, T0.AddDays(1), take: 2)).Select(t => t.Description));
        Assert.Empty(await CreatedBetweenAsync(T0.AddDays(1), T0.AddDays(2)));
    }

    [ContractFact]
    public async Task OpenSince_OnlyOpenTicketsSinceTheTime_NewestFirst()
    {
        var statuses = Enum.GetValues<TicketStatus>();
        for (var i = 0; i < statuses.Length; i++)
        {
            await CreateAsync(New("w1", statuses[i], T0, T0, statuses[i].ToString(), createdAt: T0.AddHours(i)), LocalNow);
        }

        await CreateAsync(New("w1", TicketStatus.Pending, T0, T0, "too old", createdAt: T0.AddHours(-1)), LocalNow);

        Assert.Equal(["Returned", "Reopened", "InProgress", "Pending"], (await OpenSinceAsync(T0)).Select(t => t.Description));
        Assert.Equal(5, (await OpenSinceAsync(DateTime.MinValue)).Count);
    }

    [ContractFact]
    public async Task TicketOfSubmission_AfterCreate_NamesTheTicket()
    {
        var ticket = New("w1", TicketStatus.Pending, T0, T0, "lamp");
        ticket.SubmissionKey = "wecom|MSG-1";
        var longKey = New("w1", TicketStatus.Pending, T0, T0, "long");
        longKey.SubmissionKey = "teams|" + new string('长', 600);

        var created = await CreateAsync(ticket, LocalNow);
        var createdLong = await CreateAsync(longKey, LocalNow);

        Assert.Equal(created.Number, await TicketOfSubmissionAsync("wecom|MSG-1"));
        Assert.Equal(createdLong.Number, await TicketOfSubmissionAsync(longKey.SubmissionKey));
        Assert.Null(await TicketOfSubmissionAsync("wecom|MSG-2"));
    }

    [ContractFact]
    public async Task DeleteSubmissionsBefore_RemovesOnlyThoseRecordedEarlier()
    {
        for (var i = 0; i < 4; i++)
        {
            var ticket = New("w1", TicketStatus.Pending, T0, T0, $"{i}", createdAt: T0.AddHours(i));
            ticket.SubmissionKey = $"wecom|MSG-{i}";
            await CreateAsync(ticket, LocalNow);
        }

        Assert.Equal(2, await DeleteSubmissionsBeforeAsync(T0.AddHours(2)));

        Assert.Null(await TicketOfSubmissionAsync("wecom|MSG-1"));
        Assert.NotNull(await TicketOfSubmissionAsync("wecom|MSG-2"));
        Assert.Equal(0, await DeleteSubmissionsBeforeAsync(T0.AddHours(2)));
        Assert.Equal(4, (await AllAsync()).Count);
    }

    [ContractFact]
    public async Task Search_NoFilter_NewestFirst()
    {
        await SeedSearchAsync();

        Assert.Equal(["T3", "T2", "T1"], await DescriptionsAsync(new TicketFilter()));
    }

    [ContractFact]
    public async Task Search_HandlerScope_FindsAssignedAndCoHandledTickets()
    {
        await SeedSearchAsync();

        Assert.Equal(["T1"], await DescriptionsAsync(new TicketFilter { GridIds = [], HandlerIds = ["w9"] }));
        Assert.Equal(["T2"], await DescriptionsAsync(new TicketFilter { GridIds = [], HandlerIds = ["w2"] }));
        Assert.Empty(await DescriptionsAsync(new TicketFilter { GridIds = [], HandlerIds = [] }));
    }

    [ContractFact]
    public async Task Search_CommunityScope_GridsOrStaff()
    {
        await SeedSearchAsync();

        Assert.Equal(["T3", "T1"], await DescriptionsAsync(new TicketFilter { GridIds = ["G1"], HandlerIds = ["c1"] }));
    }

    [ContractFact]
    public async Task Search_Filters_Combine()
    {
        await SeedSearchAsync();

        Assert.Equal(["T1"], await DescriptionsAsync(new TicketFilter { Status = TicketStatus.Pending }));
        Assert.Equal(["T3"], await DescriptionsAsync(new TicketFilter { Level = TicketLevel.Community }));
        Assert.Equal(["T2"], await DescriptionsAsync(new TicketFilter { CreatedFromUtc = T0.AddDays(1), CreatedBeforeUtc = T0.AddDays(2) }));
        Assert.Equal(["T2"], await DescriptionsAsync(new TicketFilter { GridId = "G2", Category = "噪音" }));
        Assert.Equal(["T3", "T2", "T1"], await DescriptionsAsync(new TicketFilter { GridId = "", Category = "" }));
        Assert.Single(await SearchAsync(new TicketFilter { Limit = 1 }));
        Assert.Equal(["T2"], await DescriptionsAsync(new TicketFilter { Skip = 1, Limit = 1 }));
    }

    [ContractFact]
    public async Task Search_Level_FollowsAnEscalationStoredLater()
    {
        var (t1, _, _) = await SeedSearchAsync();

        await UpdateAsync(t1.Number, t =>
        {
            t.EscalatedTo = TicketLevel.Community;
            return true;
        });

        Assert.Equal(["T3", "T1"], await DescriptionsAsync(new TicketFilter { Level = TicketLevel.Community }));
        Assert.Equal(["T2"], await DescriptionsAsync(new TicketFilter { Level = TicketLevel.Grid }));
        Assert.Empty(await DescriptionsAsync(new TicketFilter { Level = TicketLevel.District }));
    }

    [ContractFact]
    public async Task Search_EveryFilterCombination_MatchesTheTicketsOneByOne()
    {
        // 300 varied tickets; each filter (with dates, scope and paging) must return exactly the tickets a plain check of
        // every ticket finds, newest first (creation times are distinct, so the order is one).
        var random = new Random(5);
        string[] categories = ["噪音", "环境卫生", "水电气暖-水"];
        var statuses = Enum.GetValues<TicketStatus>();
        for (var i = 0; i < 300; i++)
        {
            var ticket = New($"w{random.Next(6)}", statuses[random.Next(statuses.Length)], T0, T0, $"R{i:000}",
                createdAt: T0.AddMinutes((i * 7919 % 300 * 140) + random.Next(100)));
            ticket.GridId = $"G{random.Next(4)}";
            ticket.Level = (TicketLevel)random.Next(3);
            ticket.CoHandlers = random.Next(5) == 0 ? ["w7"] : [];
            ticket.Category = categories[random.Next(categories.Length)];
            ticket.EscalatedTo = random.Next(3) == 0 ? (TicketLevel)random.Next(4) : null;
            await CreateAsync(ticket, LocalNow);
        }

        var all = await AllAsync();
        TicketFilter[] filters =
        [
            new() { Level = TicketLevel.Community },
            new() { Level = TicketLevel.Street, Status = TicketStatus.Pending },
            new() { Level = TicketLevel.Grid, Skip = 20, Limit = 15 },
            new() { Status = TicketStatus.Closed, CreatedFromUtc = T0.AddDays(5), CreatedBeforeUtc = T0.AddDays(12) },
            new() { Status = TicketStatus.Pending, GridIds = ["G1"], HandlerIds = ["w7"] },
            new() { Category = "噪音", GridId = "G2", Skip = 3, Limit = 5 },
            new() { Category = "水电气暖-水", CreatedBeforeUtc = T0.AddDays(9) },
            new() { Category = "环境卫生", Level = TicketLevel.Grid, GridIds = [], HandlerIds = ["w3"] },
            new() { GridIds = [], HandlerIds = ["w7"] },
            new() { GridIds = [], HandlerIds = ["w2", "w7"], Skip = 5, Limit = 10 },
            new() { GridIds = [], HandlerIds = ["w1"], Status = TicketStatus.Pending, CreatedFromUtc = T0.AddDays(3) },
            new() { CreatedFromUtc = T0.AddDays(2), Skip = 10, Limit = 20 },
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
                .OrderByDescending(t => t.CreatedAt.ToUniversalTime())
                .Skip(filter.Skip).Take(filter.Limit)
                .Select(t => t.Description).ToList();
            Assert.NotEmpty(expected);
            Assert.Equal(expected, await DescriptionsAsync(filter));
        }
    }

    /// <summary>A ticket as the desk files it, before numbering; reporters default to alice.</summary>
    protected static Ticket New(
        string assignee,
        TicketStatus status,
        DateTime signBy,
        DateTime closeBy,
        string description,
        DateTime? createdAt = null,
        IReadOnlyList<string>? reporters = null) => new()
        {
            Category = "市政管养",
            Description = description,
            AssigneeId = assignee,
            Status = status,
            CreatedAt = createdAt ?? T0,
            SignBy = signBy,
            CloseBy = closeBy,
            ReporterKeys = [.. reporters ?? ["local|alice"]],
        };

    // Three tickets on three days: T1 pending in G1 (w1, co-handled by w9), T2 resolved in G2 (w2), T3 at the community (c1).
    private async Task<(Ticket T1, Ticket T2, Ticket T3)> SeedSearchAsync()
    {
        Ticket Of(string label, string? grid, string assignee, TicketStatus status, DateTime created, TicketLevel level, List<string>? coHandlers = null)
        {
            var ticket = New(assignee, status, created, created, label, createdAt: created);
            ticket.Category = "噪音";
            ticket.GridId = grid;
            ticket.Level = level;
            ticket.CoHandlers = coHandlers ?? [];
            return ticket;
        }

        var t1 = await CreateAsync(Of("T1", "G1", "w1", TicketStatus.Pending, T0, TicketLevel.Grid, ["w9"]), LocalNow);
        var t2 = await CreateAsync(Of("T2", "G2", "w2", TicketStatus.Resolved, T0.AddDays(1), TicketLevel.Grid), LocalNow);
        var t3 = await CreateAsync(Of("T3", null, "c1", TicketStatus.InProgress, T0.AddDays(2), TicketLevel.Community), LocalNow);
        return (t1, t2, t3);
    }

    private async Task<List<string>> DescriptionsAsync(TicketFilter filter) => (await SearchAsync(filter)).Select(t => t.Description).ToList();
}
