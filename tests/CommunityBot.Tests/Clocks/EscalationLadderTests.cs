using CommunityBot.Clocks;
using CommunityBot.Dialogs.Engine;
using CommunityBot.Notifications;
using CommunityBot.Tests.Harness;
using CommunityBot.Tickets;
using Microsoft.Extensions.Logging.Abstractions;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CommunityBot.Tests.Clocks;

public sealed class EscalationLadderTests
{
    private const string CommunityChat = "private-" + FakeDirectory.CommunityStaff;
    private const string StreetChat = "private-" + FakeDirectory.StreetStaff;

    [Fact]
    public async Task Ladder_UnsignedTicket_RemindsThenEscalatesTwiceEachOnce()
    {
        using var bot = new BotHarness();

        await bot.FileNoiseComplaint("alice")
            .AdvanceTime(TimeSpan.FromMinutes(24)).Then(Sweep(bot, bot.Desk))
            .InConversation(TicketFlows.WorkerChat, group: false)
            .AssertReply(r =>
            {
                Assert.Equal("催办 " + TicketFlows.FirstTicket, r.Title);
                Assert.Contains("签收时限11月23日 20:30将至", r.Text);
            })
            .Then(Sweep(bot, bot.Desk)).AssertNoReply()
            .AdvanceTime(TimeSpan.FromMinutes(6)).Then(Sweep(bot, bot.Desk))
            .AssertNoReply()
            .InConversation(CommunityChat, group: false)
            .AssertReply(r =>
            {
                Assert.Equal("督办工单 " + TicketFlows.FirstTicket, r.Title);
                Assert.Contains("签收已超时", r.Text);
            })
            .Then(Sweep(bot, bot.Desk)).AssertNoReply()
            .AdvanceTime(TimeSpan.FromMinutes(30)).Then(Sweep(bot, bot.Desk))
            .AssertNoReply()
            .InConversation(StreetChat, group: false)
            .AssertReply(r => Assert.Equal("督办工单 " + TicketFlows.FirstTicket, r.Title))
            .InConversation("group-1", group: true).AssertNoReply()
            .RunAsync();

        var ticket = bot.Tickets.Find(TicketFlows.FirstTicket)!;
        Assert.Single(ticket.Events, e => e.Kind == TicketEventKind.Reminded);
        Assert.Equal(["签收超时，升级至赵主任", "签收超时，升级至孙科长"],
            ticket.Events.Where(e => e.Kind == TicketEventKind.Escalated).Select(e => e.Note));
        Assert.Equal(TicketLevel.Street, bot.Clock.Timers!.Find(ticket.Number)!.Level);
    }

    [Fact]
    public async Task Ladder_SignedInTime_StopsTheSigningClock()
    {
        using var bot = new BotHarness();

        await bot.FileNoiseComplaint("alice")
            .AdvanceTime(TimeSpan.FromMinutes(10))
            .InPrivateChatOf(FakeDirectory.GridWorker).PressCardButton(TicketFlows.FirstTicket, "签收")
            .AssertReply(r => Assert.StartsWith("已签收工单", r.Text))
            .AdvanceTime(TimeSpan.FromHours(1)).Then(Sweep(bot, bot.Desk))
            .AssertNoReply()
            .InConversation(CommunityChat, group: false).AssertNoReply()
            .RunAsync();

        var timer = bot.Clock.Timers!.Find(TicketFlows.FirstTicket)!;
        Assert.DoesNotContain(timer.Clocks, c => c.Kind == ClockKind.Sign);
        Assert.Equal(TicketLevel.Grid, timer.Level);
    }

    [Fact]
    public async Task Ladder_ReturnedTicket_SignClockRestartsForTheCommunityAndEscalatesAboveIt()
    {
        using var bot = new BotHarness();

        await bot.FileNoiseComplaint("alice")
            .AdvanceTime(TimeSpan.FromMinutes(20))
            .InPrivateChatOf(FakeDirectory.GridWorker).PressCardButton(TicketFlows.FirstTicket, "退回")
            .AssertReply(r => Assert.StartsWith("请说明退回原因", r.Text))
            .Send("商户经营问题不属于网格职责")
            .AssertReply(r => Assert.StartsWith($"工单 {TicketFlows.FirstTicket} 已退回", r.Text))
            .InConversation(CommunityChat, group: false).AssertReply(r => Assert.Equal("退回工单 " + TicketFlows.FirstTicket, r.Title))
            // 40 minutes after filing: the grid's clock would have run out at 30; the community's runs until 50.
            .AdvanceTime(TimeSpan.FromMinutes(20)).Then(Sweep(bot, bot.Desk))
            .InConversation(CommunityChat, group: false).AssertNoReply()
            .InConversation(StreetChat, group: false).AssertNoReply()
            .AdvanceTime(TimeSpan.FromMinutes(11)).Then(Sweep(bot, bot.Desk))
            .InConversation(StreetChat, group: false).AssertReply(r => Assert.Equal("督办工单 " + TicketFlows.FirstTicket, r.Title))
            .InConversation(CommunityChat, group: false).AssertNoReply()
            .RunAsync();

        var ticket = bot.Tickets.Find(TicketFlows.FirstTicket)!;
        Assert.Equal(["签收超时，升级至孙科长"], ticket.Events.Where(e => e.Kind == TicketEventKind.Escalated).Select(e => e.Note));
        Assert.Equal(TicketLevel.Street, ticket.EscalatedTo);
        Assert.Equal(TicketLevel.Street, bot.Clock.Timers!.Find(ticket.Number)!.Level);
    }

    [Fact]
    public async Task Ladder_ReturnedTicket_CommunitySignsAndTheClockStops()
    {
        using var bot = new BotHarness();

        await bot.FileNoiseComplaint("alice")
            .InPrivateChatOf(FakeDirectory.GridWorker).PressCardButton(TicketFlows.FirstTicket, "退回")
            .AssertReply(r => Assert.StartsWith("请说明退回原因", r.Text))
            .Send("不属于网格职责")
            .AssertReply(r => Assert.StartsWith($"工单 {TicketFlows.FirstTicket} 已退回", r.Text))
            .InPrivateChatOf(FakeDirectory.CommunityStaff).AssertReply(r => Assert.Equal("退回工单 " + TicketFlows.FirstTicket, r.Title))
            .PressCardButton(TicketFlows.FirstTicket, "签收")
            .AssertReply(r => Assert.StartsWith("已签收工单", r.Text))
            .AdvanceTime(TimeSpan.FromHours(1)).Then(Sweep(bot, bot.Desk))
            .InConversation(StreetChat, group: false).AssertNoReply()
            .RunAsync();

        Assert.Equal(TicketStatus.InProgress, bot.Tickets.Find(TicketFlows.FirstTicket)!.Status);
        Assert.DoesNotContain(bot.Clock.Timers!.Find(TicketFlows.FirstTicket)!.Clocks, c => c.Kind == ClockKind.Sign);
    }

    [Fact]
    public async Task Ladder_WorkerAsksResident_ClosingClockWaits()
    {
        using var bot = new BotHarness();
        await bot.FileNoiseComplaint("alice")
            .InPrivateChatOf(FakeDirectory.GridWorker).PressCardButton(TicketFlows.FirstTicket, "回复")
            .AssertReply(r => Assert.StartsWith("请输入要回复居民的内容", r.Text))
            .Send("请问您明晚几点在家？")
            .AssertReply("已转告居民。")
            .InConversation("group-1", group: true).AssertReply(r => Assert.Contains("请问您明晚几点在家", r.Text))
            .RunAsync();

        var timer = bot.Clock.Timers!.Find(TicketFlows.FirstTicket)!;
        Assert.NotNull(timer.WaitingSince);
        Assert.NotNull(timer.Find(ClockKind.Close)!.PausedRemaining);
        Assert.Null(timer.Find(ClockKind.FirstContact));
    }

    [Fact]
    public async Task Ladder_RestartMidway_ContinuesWithoutRepeats()
    {
        using var bot = new BotHarness();
        await bot.FileNoiseComplaint("alice")
            .AdvanceTime(TimeSpan.FromMinutes(24)).Then(Sweep(bot, bot.Desk))
            .InConversation(TicketFlows.WorkerChat, group: false).AssertReply(r => Assert.StartsWith("催办", r.Title))
            .AdvanceTime(TimeSpan.FromMinutes(6)).Then(Sweep(bot, bot.Desk))
            .InConversation(CommunityChat, group: false).AssertReply(r => Assert.StartsWith("督办工单", r.Title))
            .RunAsync();

        // A restarted process: new stores, clock and desk over the same database; the old desk is gone.
        var restarted = RestartedDesk(bot);
        await bot.Conversation()
            .Then(Sweep(bot, restarted))
            .InConversation(TicketFlows.WorkerChat, group: false).AssertNoReply()
            .InConversation(CommunityChat, group: false).AssertNoReply()
            .AdvanceTime(TimeSpan.FromMinutes(30)).Then(Sweep(bot, restarted)).Then(Sweep(bot, restarted))
            .InConversation(StreetChat, group: false).AssertReply(r => Assert.StartsWith("督办工单", r.Title))
            .InConversation(CommunityChat, group: false).AssertNoReply()
            .RunAsync();

        var ticket = bot.Tickets.Find(TicketFlows.FirstTicket)!;
        Assert.Single(ticket.Events, e => e.Kind == TicketEventKind.Reminded);
        Assert.Equal(2, ticket.Events.Count(e => e.Kind == TicketEventKind.Escalated));
    }

    [Fact]
    public async Task Ladder_TwoSweepersAtOnce_NotifyOnce()
    {
        using var bot = new BotHarness();
        await bot.FileNoiseComplaint("alice").RunAsync();
        var other = RestartedDesk(bot);
        bot.Time.Advance(TimeSpan.FromMinutes(30));

        var fired = await Task.WhenAll(
            bot.Desk.SweepEscalationsAsync(bot.Time.GetUtcNow(), CancellationToken.None),
            other.SweepEscalationsAsync(bot.Time.GetUtcNow(), CancellationToken.None));
        await bot.Dispatcher.DispatchDueAsync(CancellationToken.None);

        Assert.Equal(1, fired.Sum());
        Assert.Single(bot.InboxOf(CommunityChat));
        Assert.Single(bot.Tickets.Find(TicketFlows.FirstTicket)!.Events, e => e.Kind == TicketEventKind.Escalated);
    }

    [Fact]
    public async Task Ladder_ToTheTop_ReachesTheDistrictOnceThenOnlyWaits()
    {
        using var bot = new BotHarness();
        var desk = RestartedDesk(bot, new ClockOptions
        {
            District = new DistrictContact { Name = "区网格中心", Channel = TestChannel.Name, ConversationId = "private-district", UserId = "district" },
        });
        var flow = bot.FileNoiseComplaint("alice");
        foreach (var minutes in new[] { 24, 6, 30, 30, 30, 600 })
        {
            flow.AdvanceTime(TimeSpan.FromMinutes(minutes)).Then(Sweep(bot, desk));
        }

        await flow
            .InConversation(TicketFlows.WorkerChat, group: false).AssertReply(r => Assert.StartsWith("催办", r.Title)).AssertNoReply()
            .InConversation(CommunityChat, group: false).AssertReply(r => Assert.StartsWith("督办工单", r.Title)).AssertNoReply()
            .InConversation(StreetChat, group: false).AssertReply(r => Assert.StartsWith("督办工单", r.Title)).AssertNoReply()
            .InConversation("private-district", group: false)
            .AssertReply(r =>
            {
                Assert.Equal("督办工单 " + TicketFlows.FirstTicket, r.Title);
                Assert.DoesNotContain("电话", r.Text);
            })
            .AssertNoReply()
            .RunAsync();

        var ticket = bot.Tickets.Find(TicketFlows.FirstTicket)!;
        Assert.Equal(3, ticket.Events.Count(e => e.Kind == TicketEventKind.Escalated));
        Assert.EndsWith("升级至区网格中心", ticket.Events.Last(e => e.Kind == TicketEventKind.Escalated).Note);
        Assert.True(bot.Clock.Timers!.Find(ticket.Number)!.Find(ClockKind.Sign)!.Exhausted);
    }

    [Fact]
    public async Task Ladder_ClosedTicket_FiresNothing()
    {
        using var bot = new BotHarness();
        await bot.FileNoiseComplaint("alice")
            .InPrivateChatOf(FakeDirectory.GridWorker).PressCardButton(TicketFlows.FirstTicket, "办结")
            .AssertReply(r => Assert.StartsWith("请填写办结说明", r.Text))
            .Send("已劝烧烤店晚十点前收摊")
            .AssertReply(r => Assert.StartsWith("要附一张办结现场照片吗", r.Text))
            .Press("跳过")
            .AssertReply(r => Assert.StartsWith($"工单 {TicketFlows.FirstTicket} 已办结", r.Text))
            .InConversation("group-1", group: true)
            .AssertReply(r => Assert.Contains("问题解决了吗", r.Text))
            .RunAsync();

        bot.Time.Advance(TimeSpan.FromDays(30));
        Assert.Equal(0, await bot.Desk.SweepEscalationsAsync(bot.Time.GetUtcNow(), CancellationToken.None));
        Assert.Null(bot.Clock.Timers!.Find(TicketFlows.FirstTicket));
    }

    private static Func<Task> Sweep(BotHarness bot, TicketDesk desk) => async () =>
    {
        await desk.SweepEscalationsAsync(bot.Time.GetUtcNow(), CancellationToken.None);
        await bot.Dispatcher.DispatchDueAsync(CancellationToken.None);
    };

    private static TicketDesk RestartedDesk(BotHarness bot, ClockOptions? clocks = null)
    {
        var handoffs = new HandoffStore(bot.Database, bot.Writer);
        var clock = new TicketClock(new HolidayStore(bot.Database), new TicketTimerStore(bot.Database), MsOptions.Create(clocks ?? new ClockOptions()));
        // One outbox per process: the dispatcher that carries on is told of what it commits.
        var tickets = new LiteDbTicketRepository(new TicketStore(bot.Database, bot.Writer), bot.Writer, bot.Outbox, bot.ProactiveTurns, handoffs, clock.Timers);
        return new TicketDesk(
            tickets, bot.Directory, handoffs, bot.Directory, bot.Time, MsOptions.Create(new TicketOptions()), NullLogger<TicketDesk>.Instance, clock);
    }
}
