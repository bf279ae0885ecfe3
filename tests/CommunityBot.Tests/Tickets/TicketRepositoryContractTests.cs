using CommunityBot.Clocks;
using CommunityBot.Conversation;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Tickets;
using CommunityBot.Media;
using CommunityBot.Notifications;
using CommunityBot.Open311;
using CommunityBot.Tests.Harness;
using CommunityBot.Tickets;

namespace CommunityBot.Tests.Tickets;

using Handoff = CommunityBot.Tickets.Handoff;

/// <summary>
/// What every ticket repository promises the desk (<see cref="LiteDbTicketRepositoryTests"/> on LiteDB,
/// <see cref="Storage.Postgres.PostgresTicketRepositoryTests"/> on PostgreSQL): a ticket and its <see cref="TicketWrite"/>
/// (timer, outbox messages, proactive turns, take-overs, photos, an Open311 request's extras) are kept together or not at all; a change sees the ticket's timer as stored and
/// its change is applied; a declined change writes nothing; a submission opens one ticket; concurrent changes of one
/// ticket apply one after the other, none lost. Each concrete class starts every test on empty stores.
/// </summary>
public abstract class TicketRepositoryContractTests : IAsyncLifetime
{
    protected static readonly DateTime T0 = new(2026, 11, 23, 1, 0, 0, DateTimeKind.Utc);
    protected static readonly DateTimeOffset LocalNow = new(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(8));

    protected abstract ITicketRepository Repository { get; }

    /// <summary>The conversation keys of every outbox entry kept, oldest first.</summary>
    protected abstract Task<IReadOnlyList<string>> MessagesAsync();

    protected abstract Task<TicketTimer?> TimerAsync(string number);

    protected abstract Task<Handoff?> HandoffAsync(string residentKey);

    /// <summary>The names of every proactive turn's request kept, oldest first.</summary>
    protected abstract Task<IReadOnlyList<string>> PromptsAsync();

    /// <summary>The photos recorded for the ticket, in recorded order.</summary>
    protected abstract Task<IReadOnlyList<MediaItem>> PhotosAsync(string number);

    protected abstract Task<Open311Submission?> ServiceRequestAsync(string number);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [ContractFact]
    public async Task Create_KeepsTheTicketWithEverythingItsWriteRecorded()
    {
        var creation = await Repository.CreateAsync(New("噪音扰民"), LocalNow, (ticket, write) =>
        {
            write.Send([Message("worker-card")]);
            write.SaveTimer(Timer(ticket.Number, T0.AddHours(2)));
            write.PutHandoff(NewHandoff("resident-1", ticket.Number));
        }, CancellationToken.None);

        Assert.True(creation.Opened);
        Assert.Equal("WT20261123-0001", creation.Ticket.Number);
        Assert.Equal("噪音扰民", (await Repository.FindAsync("WT20261123-0001", CancellationToken.None))?.Description);
        Assert.Equal(["test/worker-card"], await MessagesAsync());
        Assert.Equal(T0.AddHours(2), (await TimerAsync("WT20261123-0001"))?.NextAt);
        Assert.Equal("WT20261123-0001", (await HandoffAsync("resident-1"))?.TicketNumber);
    }

    [ContractFact]
    public async Task Create_WriteThrows_KeepsNothing_AndTheNumberIsTakenAgain()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => Repository.CreateAsync(New("first"), LocalNow, (ticket, write) =>
        {
            write.Send([Message("lost")]);
            write.SaveTimer(Timer(ticket.Number, T0));
            throw new InvalidOperationException("boom");
        }, CancellationToken.None));

        Assert.Null(await Repository.FindAsync("WT20261123-0001", CancellationToken.None));
        Assert.Empty(await MessagesAsync());
        Assert.Null(await TimerAsync("WT20261123-0001"));
        var next = await Repository.CreateAsync(New("second"), LocalNow, null, CancellationToken.None);
        Assert.Equal("WT20261123-0001", next.Ticket.Number);
    }

    [ContractFact]
    public async Task Create_SubmissionAlreadyFiled_ReturnsThatTicket_AndWritesNothing()
    {
        var first = New("第一次");
        first.SubmissionKey = "wecom|msg-42";
        var filed = await Repository.CreateAsync(first, LocalNow, (_, write) => write.Send([Message("card")]), CancellationToken.None);

        var again = New("重复提交");
        again.SubmissionKey = "wecom|msg-42";
        var wrote = false;
        var repeat = await Repository.CreateAsync(again, LocalNow, (_, _) => wrote = true, CancellationToken.None);

        Assert.False(repeat.Opened);
        Assert.False(wrote);
        Assert.Equal(filed.Ticket.Number, repeat.Ticket.Number);
        Assert.Equal("第一次", repeat.Ticket.Description);
        Assert.Equal(["test/card"], await MessagesAsync());
        Assert.Equal(filed.Ticket.Number, (await Repository.FiledBySubmissionAsync("wecom|msg-42", CancellationToken.None))?.Number);
        Assert.Null(await Repository.FiledBySubmissionAsync("wecom|msg-43", CancellationToken.None));
        // The repeat took no number: the next ticket of the day is the second.
        Assert.Equal("WT20261123-0002", (await Repository.CreateAsync(New("下一件"), LocalNow, null, CancellationToken.None)).Ticket.Number);
    }

    [ContractFact]
    public async Task Update_SeesTheStoredTimer_AndKeepsItsChangeWithTheTicket()
    {
        var number = await CreateWithTimerAsync(T0.AddHours(1));

        TimeSpan? seen = null;
        var updated = await Repository.UpdateAsync(number, (ticket, write) =>
        {
            seen = write.Timer!.NextAt - T0;
            ticket.Status = TicketStatus.InProgress;
            var timer = write.Timer!;
            timer.NextAt = T0.AddHours(3);
            write.SaveTimer(timer);
            return true;
        }, (_, write) => write.Send([Message("signed")]), CancellationToken.None);

        Assert.Equal(TimeSpan.FromHours(1), seen);
        Assert.Equal(TicketStatus.InProgress, updated?.Status);
        Assert.Equal(TicketStatus.InProgress, (await Repository.FindAsync(number, CancellationToken.None))?.Status);
        Assert.Equal(T0.AddHours(3), (await TimerAsync(number))?.NextAt);
        Assert.Equal(["test/signed"], await MessagesAsync());
        Assert.Empty(await Repository.TimersDueAsync(T0.AddHours(2), CancellationToken.None));
        Assert.Equal([number], await Repository.TimersDueAsync(T0.AddHours(3), CancellationToken.None));
    }

    [ContractFact]
    public async Task Update_DeletesTheTimer_AndEndsTheTakeOver()
    {
        var creation = await Repository.CreateAsync(New("x"), LocalNow, (ticket, write) =>
        {
            write.SaveTimer(Timer(ticket.Number, T0));
            write.PutHandoff(NewHandoff("resident-1", ticket.Number));
        }, CancellationToken.None);
        var number = creation.Ticket.Number;

        await Repository.UpdateAsync(number, (ticket, write) =>
        {
            ticket.Status = TicketStatus.Closed;
            write.DeleteTimer();
            write.RemoveHandoff("resident-1");
            return true;
        }, null, CancellationToken.None);

        Assert.Null(await TimerAsync(number));
        Assert.Null(await HandoffAsync("resident-1"));
        Assert.Empty(await Repository.TimersDueAsync(T0.AddDays(1), CancellationToken.None));
    }

    [ContractFact]
    public async Task Update_Declined_WritesNothing()
    {
        var number = await CreateWithTimerAsync(T0);

        var alsoRan = false;
        var updated = await Repository.UpdateAsync(number, (ticket, write) =>
        {
            ticket.Description = "changed";
            write.Send([Message("never")]);
            write.DeleteTimer();
            return false;
        }, (_, _) => alsoRan = true, CancellationToken.None);

        Assert.Null(updated);
        Assert.False(alsoRan);
        Assert.Equal("x", (await Repository.FindAsync(number, CancellationToken.None))?.Description);
        Assert.Empty(await MessagesAsync());
        Assert.Equal(T0, (await TimerAsync(number))?.NextAt);
    }

    [ContractFact]
    public async Task Update_AlsoWriteThrows_KeepsNeitherTheChangeNorItsWrite()
    {
        var number = await CreateWithTimerAsync(T0);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Repository.UpdateAsync(number, (ticket, write) =>
        {
            ticket.Description = "changed";
            write.DeleteTimer();
            return true;
        }, (_, write) =>
        {
            write.Send([Message("lost")]);
            throw new InvalidOperationException("boom");
        }, CancellationToken.None));

        Assert.Equal("x", (await Repository.FindAsync(number, CancellationToken.None))?.Description);
        Assert.Equal(T0, (await TimerAsync(number))?.NextAt);
        Assert.Empty(await MessagesAsync());
    }

    [ContractFact]
    public async Task Update_NoSuchTicket_IsNull_AndChangesNothing()
    {
        var ran = false;
        Assert.Null(await Repository.UpdateAsync("WT20261123-0099", (_, _) => ran = true, null, CancellationToken.None));
        Assert.False(ran);
        Assert.Empty(await MessagesAsync());
    }

    [ContractFact]
    public async Task Write_LeavesTheTicket_ReadsItsTimer_AndKeepsWhatItRecorded()
    {
        var number = await CreateWithTimerAsync(T0.AddMinutes(30));

        DateTime? seen = null;
        await Repository.WriteAsync(number, write =>
        {
            seen = write.Timer?.NextAt;
            write.Send([Message("told-resident")]);
            write.PutHandoff(NewHandoff("resident-2", number));
        }, CancellationToken.None);
        // Also for a ticket that does not exist (a take-over of one deleted meanwhile): no timer, the rest is kept.
        TicketTimer? missing = Timer("none", T0);
        await Repository.WriteAsync("WT20261123-0099", write =>
        {
            missing = write.Timer;
            write.Send([Message("other")]);
        }, CancellationToken.None);

        Assert.Equal(T0.AddMinutes(30), seen);
        Assert.Null(missing);
        Assert.Equal(["test/told-resident", "test/other"], await MessagesAsync());
        Assert.Equal(number, (await HandoffAsync("resident-2"))?.TicketNumber);
        Assert.Equal("x", (await Repository.FindAsync(number, CancellationToken.None))?.Description);
    }

    [ContractFact]
    public async Task Update_ManyAtOnce_EachSeesThePreviousChange()
    {
        var number = await CreateWithTimerAsync(T0);

        await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() => Repository.UpdateAsync(number, (ticket, write) =>
        {
            ticket.Description += "+";
            var timer = write.Timer!;
            timer.Level = (TicketLevel)(((int)timer.Level + 1) % 4);
            timer.NextAt = timer.NextAt!.Value.AddMinutes(1);
            write.SaveTimer(timer);
            return true;
        }, null, CancellationToken.None))));

        Assert.Equal("x" + new string('+', 12), (await Repository.FindAsync(number, CancellationToken.None))?.Description);
        Assert.Equal(T0.AddMinutes(12), (await TimerAsync(number))?.NextAt);
    }

    [ContractFact]
    public async Task Prompts_AreKeptWithTheTicketsWrite_AndNoneWhenItRollsBack()
    {
        var creation = await Repository.CreateAsync(New("无电话"), LocalNow, (ticket, write) =>
            write.Ask([Prompt("ticket.contact", ticket.Number), Prompt("ticket.reminder", ticket.Number)]), CancellationToken.None);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Repository.UpdateAsync(creation.Ticket.Number, (ticket, write) =>
        {
            ticket.Status = TicketStatus.Closed;
            return true;
        }, (ticket, write) =>
        {
            write.Ask([Prompt("ticket.feedback", ticket.Number)]);
            throw new InvalidOperationException("boom");
        }, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Repository.CreateAsync(New("lost"), LocalNow, (ticket, write) =>
        {
            write.Ask([Prompt("ticket.contact", ticket.Number)]);
            throw new InvalidOperationException("boom");
        }, CancellationToken.None));

        Assert.Equal(["ticket.contact", "ticket.reminder"], await PromptsAsync());
        Assert.Equal(TicketStatus.Pending, (await Repository.FindAsync(creation.Ticket.Number, CancellationToken.None))?.Status);
        await Repository.WriteAsync(creation.Ticket.Number, write => write.Ask([Prompt("ticket.feedback", creation.Ticket.Number)]), CancellationToken.None);
        Assert.Equal(["ticket.contact", "ticket.reminder", "ticket.feedback"], await PromptsAsync());
    }

    [ContractFact]
    public async Task Reads_ReportedBy_And_OpenSince_NewestFirst()
    {
        var older = await Repository.CreateAsync(New("旧", createdAt: T0), LocalNow, null, CancellationToken.None);
        var newer = await Repository.CreateAsync(New("新", createdAt: T0.AddHours(1)), LocalNow, null, CancellationToken.None);
        var closed = New("已办结", createdAt: T0.AddHours(2));
        closed.Status = TicketStatus.Closed;
        await Repository.CreateAsync(closed, LocalNow, null, CancellationToken.None);

        Assert.Equal(["新", "旧"], (await Repository.OpenSinceAsync(T0, CancellationToken.None)).Select(t => t.Description));
        Assert.Equal(["新"], (await Repository.OpenSinceAsync(T0.AddMinutes(1), CancellationToken.None)).Select(t => t.Description));
        Assert.Equal(["已办结", "新", "旧"], (await Repository.ReportedByAsync("local|alice", CancellationToken.None)).Select(t => t.Description));
        Assert.Empty(await Repository.ReportedByAsync("local|bob", CancellationToken.None));
        Assert.NotEqual(older.Ticket.Number, newer.Ticket.Number);
    }

    [ContractFact]
    public async Task Create_KeepsPhotosAndOpen311Extras_WithTheTicket()
    {
        var creation = await Repository.CreateAsync(New("井盖缺失"), LocalNow, (ticket, write) =>
        {
            write.Photos.AddRange([Photo(ticket.Number, T0), Photo(ticket.Number, T0.AddSeconds(1))]);
            write.KeepServiceRequest(new Open311Submission { Lat = 31.23, Long = 121.47, Email = "resident@example.org", SubmittedAt = T0 });
        }, CancellationToken.None);

        var photos = await PhotosAsync(creation.Ticket.Number);
        Assert.Equal(2, photos.Count);
        Assert.All(photos, p => Assert.Equal((creation.Ticket.Number, MediaStatus.Pending), (p.TicketNumber, p.Status)));
        Assert.Equal("resident@example.org", (await ServiceRequestAsync(creation.Ticket.Number))?.Email);
    }

    [ContractFact]
    public async Task Create_WriteThrows_KeepsNeitherPhotosNorOpen311Extras()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => Repository.CreateAsync(New("first"), LocalNow, (ticket, write) =>
        {
            write.Photos.Add(Photo(ticket.Number, T0));
            write.KeepServiceRequest(new Open311Submission { Email = "lost@example.org", SubmittedAt = T0 });
            throw new InvalidOperationException("boom");
        }, CancellationToken.None));

        Assert.Empty(await PhotosAsync("WT20261123-0001"));
        Assert.Null(await ServiceRequestAsync("WT20261123-0001"));
    }

    [ContractFact]
    public async Task Update_KeepsPhotosOnlyWithAChangeMade_AndOnlyTheTicketsFirstOpen311Extras()
    {
        var creation = await Repository.CreateAsync(New("x"), LocalNow,
            (_, write) => write.KeepServiceRequest(new Open311Submission { Email = "first@example.org", SubmittedAt = T0 }), CancellationToken.None);
        var number = creation.Ticket.Number;

        await Repository.UpdateAsync(number, (_, write) =>
        {
            write.Photos.Add(Photo(number, T0));
            return false;
        }, null, CancellationToken.None);
        var closing = Photo(number, T0.AddHours(1));
        await Repository.UpdateAsync(number, (ticket, write) =>
        {
            ticket.Status = TicketStatus.Closed;
            write.Photos.Add(closing);
            write.KeepServiceRequest(new Open311Submission { Email = "second@example.org", SubmittedAt = T0.AddHours(1) });
            return true;
        }, null, CancellationToken.None);

        Assert.Equal([closing.Id], (await PhotosAsync(number)).Select(p => p.Id));
        Assert.Equal("first@example.org", (await ServiceRequestAsync(number))?.Email);
    }

    private static MediaItem Photo(string number, DateTime at)
    {
        var item = MediaStore.Pending("https://files.example.org/" + Guid.NewGuid().ToString("N") + ".jpg", TestChannel.Name, null, "batch", MediaPurpose.Report, at);
        item.TicketNumber = number;
        return item;
    }

    private async Task<string> CreateWithTimerAsync(DateTime nextAt) =>
        (await Repository.CreateAsync(New("x"), LocalNow, (ticket, write) => write.SaveTimer(Timer(ticket.Number, nextAt)), CancellationToken.None)).Ticket.Number;

    protected static Ticket New(string description, DateTime? createdAt = null) => new()
    {
        Category = "噪音",
        Description = description,
        AssigneeId = "w1",
        Status = TicketStatus.Pending,
        CreatedAt = createdAt ?? T0,
        SignBy = T0.AddHours(1),
        CloseBy = T0.AddDays(1),
        ReporterKeys = ["local|alice"],
    };

    private static TicketTimer Timer(string number, DateTime nextAt) => new()
    {
        TicketNumber = number,
        NextAt = nextAt,
        Level = TicketLevel.Grid,
        Clocks = [new ClockState { Kind = ClockKind.Sign, Unit = ClockUnit.Wall, Duration = TimeSpan.FromHours(1), DueAt = nextAt, RemindAt = nextAt }],
    };

    private static Handoff NewHandoff(string residentKey, string number) => new()
    {
        ResidentKey = residentKey,
        WorkerKey = "test/worker-chat/w1",
        TicketNumber = number,
        WorkerId = "w1",
        WorkerName = "王网格",
        ResidentName = "张女士",
        StartedAt = T0,
        LastActivityAt = T0,
    };

    private static ProactiveTurn Prompt(string name, string number) => ProactiveTurn.For(
        new ConversationReference { Channel = TestChannel.Name, ConversationId = "private-alice", UserId = "alice" }, name,
        new TicketPrompt(number).ToJson(), T0);

    private static OutboxMessage Message(string conversationId) =>
        OutboxMessage.For(new ConversationReference { Channel = TestChannel.Name, ConversationId = conversationId }, OutboundMessage.Plain("好的"), T0);
}
