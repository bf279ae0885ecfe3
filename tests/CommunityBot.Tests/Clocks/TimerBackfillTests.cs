using CommunityBot.Clocks;
using CommunityBot.Tests.Harness;

namespace CommunityBot.Tests.Clocks;

/// <summary>Issue 15, item 6: open tickets older than the clocks get their timers, from their own history.</summary>
public sealed class TimerBackfillTests : IDisposable
{
    private readonly BotHarness _bot = new();

    public void Dispose() => _bot.Dispose();

    [Fact]
    public async Task Backfill_OpenTicketWithoutTimer_ArmsItsClocksFromItsHistory_AndTheSweepChasesIt()
    {
        await _bot.FileNoiseComplaint("alice").RunAsync();
        var number = TicketFlows.FirstTicket;
        var armed = _bot.Clock.Timers!.Find(number)!;
        // As a ticket filed before the clocks were kept: no timer.
        await _bot.Writer.WriteAsync(_ => _bot.Clock.Timers.Delete(number));

        Assert.Equal(1, await _bot.Desk.BackfillTimersAsync(CancellationToken.None));
        var filled = _bot.Clock.Timers.Find(number)!;
        Assert.Equal(armed.Clocks.Select(c => (c.Kind, c.DueAt)), filled.Clocks.Select(c => (c.Kind, c.DueAt)));
        // Once only.
        Assert.Equal(0, await _bot.Desk.BackfillTimersAsync(CancellationToken.None));

        _bot.Time.Advance(TimeSpan.FromHours(2));
        Assert.True(await _bot.Desk.SweepEscalationsAsync(_bot.Time.GetUtcNow(), CancellationToken.None) > 0);
    }

    [Fact]
    public async Task Backfill_SignedTicket_HasNoSigningClock_AndAClosedOneNone()
    {
        await _bot.FileNoiseComplaint("alice")
            .InPrivateChatOf(FakeDirectory.GridWorker)
            .Press("签收")
            .AssertReplyContains("已签收")
            .RunAsync();
        var number = TicketFlows.FirstTicket;
        await _bot.Writer.WriteAsync(_ => _bot.Clock.Timers!.Delete(number));

        Assert.Equal(1, await _bot.Desk.BackfillTimersAsync(CancellationToken.None));
        var kinds = _bot.Clock.Timers!.Find(number)!.Clocks.Select(c => c.Kind).ToList();
        Assert.DoesNotContain(ClockKind.Sign, kinds);
        Assert.Contains(ClockKind.Close, kinds);

        await _bot.Conversation()
            .InPrivateChatOf(FakeDirectory.GridWorker)
            .PressCardButton(number, "办结")
            .AssertReplyContains("请填写办结说明")
            .Send("已处理")
            .AssertReply(r => Assert.StartsWith("要附一张办结现场照片吗", r.Text))
            .Press("跳过")
            .AssertReplyContains("已办结")
            .InConversation("group-1", group: true)
            .AssertReply(r => Assert.EndsWith("问题解决了吗？", r.Text))
            .RunAsync();
        await _bot.Writer.WriteAsync(_ => _bot.Clock.Timers.Delete(number));
        Assert.Equal(0, await _bot.Desk.BackfillTimersAsync(CancellationToken.None));
        Assert.Null(_bot.Clock.Timers.Find(number));
    }
}
