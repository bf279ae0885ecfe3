using CommunityBot.Clocks;
using CommunityBot.Tickets;
using LiteDB;
using Microsoft.Extensions.Configuration;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CommunityBot.Tests.Clocks;

public sealed class TicketClockTests : IDisposable
{
    // Monday 2026-11-23 20:00 in Beijing.
    private static readonly DateTime Evening = new(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc);

    private readonly LiteDatabase _database = new(new MemoryStream());
    private readonly TicketClock _clock;

    public TicketClockTests()
    {
        _clock = new TicketClock(new HolidayStore(_database), new TicketTimerStore(_database), MsOptions.Create(new ClockOptions
        {
            Holidays = [new HolidaySeed { Date = "2026-11-25", Name = "测试假日" }],
        }));
    }

    public void Dispose() => _database.Dispose();

    [Theory]
    [InlineData("水电气暖", "2026-11-24T20:00:00+08:00")] // 24 hours of wall time
    [InlineData("环境保护", "2026-11-27T17:30:00+08:00")] // 3 working days; Wednesday the 25th is a holiday here
    [InlineData("邻里纠纷", "2026-12-15T17:30:00+08:00")] // 15 working days
    public void CloseDeadline_ByCategory_FollowsItsRule(string category, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime, _clock.Due(ClockKind.Close, category, Evening));

    [Fact]
    public void SignDeadline_IsWallClock_EvenAtNight() =>
        Assert.Equal(Evening.AddMinutes(30), _clock.Due(ClockKind.Sign, "环境保护", Evening));

    [Fact]
    public void Start_NewTicket_ArmsThreeClocksAndTheNextReminder()
    {
        var ticket = NewTicket();
        var write = TicketWrite.ForNew(ticket.Number);
        _clock.Start(ticket, Evening, write);

        Assert.Equal(TimerChange.Save, write.TimerChange);
        var timer = write.Timer!;
        Assert.Equal([ClockKind.Sign, ClockKind.FirstContact, ClockKind.Close], timer.Clocks.Select(c => c.Kind));
        Assert.Equal(Evening.AddMinutes(24), timer.NextAt!.Value.ToUniversalTime()); // 80 % of 30 minutes
        Assert.Equal(Evening.AddMinutes(30), ticket.SignBy);
    }

    [Fact]
    public void Reply_AskingResident_PausesCloseClockUntilTheAnswer()
    {
        var ticket = NewTicket();
        var write = TicketWrite.ForNew(ticket.Number);
        _clock.Start(ticket, Evening, write);
        var dueBefore = write.Timer!.Find(ClockKind.Close)!.DueAt.ToUniversalTime();

        // Tuesday 09:00 local: the worker asks; the resident answers Thursday 09:00 (Wednesday is a holiday here).
        var asked = new DateTime(2026, 11, 24, 1, 0, 0, DateTimeKind.Utc);
        _clock.Track(ticket, new TicketEvent { At = asked, Kind = TicketEventKind.Replied, Note = "请问您明天上午在家吗？" }, write);
        var paused = write.Timer!;
        Assert.NotNull(paused.WaitingSince);
        Assert.Null(paused.Find(ClockKind.FirstContact));
        Assert.NotNull(paused.Find(ClockKind.Close)!.PausedRemaining);

        var answered = new DateTime(2026, 11, 26, 1, 0, 0, DateTimeKind.Utc);
        _clock.ResidentAnswered(write, answered);
        var resumed = write.Timer!;
        Assert.Null(resumed.WaitingSince);
        // Waiting covered Tuesday 09:00–17:30 (7 office hours) and Thursday 08:30–09:00: one working day of 7.5 hours,
        // so Friday 17:30 moves to Monday 17:30.
        Assert.Equal(new DateTime(2026, 11, 27, 9, 30, 0, DateTimeKind.Utc), dueBefore);
        Assert.Equal(new DateTime(2026, 11, 30, 9, 30, 0, DateTimeKind.Utc), resumed.Find(ClockKind.Close)!.DueAt.ToUniversalTime());
    }

    [Fact]
    public void Reopen_AfterClose_RestartsEveryClock()
    {
        var ticket = NewTicket();
        var write = TicketWrite.ForNew(ticket.Number);
        _clock.Start(ticket, Evening, write);
        _clock.Track(ticket, new TicketEvent { At = Evening.AddMinutes(5), Kind = TicketEventKind.Signed }, write);
        _clock.Track(ticket, new TicketEvent { At = Evening.AddHours(20), Kind = TicketEventKind.Closed, Note = "已处理" }, write);
        Assert.Equal(TimerChange.Delete, write.TimerChange);
        Assert.Null(write.Timer);

        var reopenedAt = Evening.AddDays(1);
        _clock.Track(ticket, new TicketEvent { At = reopenedAt, Kind = TicketEventKind.Reopened }, write);
        Assert.Equal(TimerChange.Save, write.TimerChange);
        var timer = write.Timer!;
        Assert.Equal(3, timer.Clocks.Count);
        Assert.Equal(reopenedAt.AddMinutes(30), ticket.SignBy);
    }

    [Theory]
    [InlineData("00:30:00", 30, ClockUnit.Wall)]
    [InlineData("2 working hours", 120, ClockUnit.WorkingHours)]
    [InlineData("3 working days", 3 * 24 * 60, ClockUnit.WorkingDays)]
    public void ClockRule_Parse_ReadsWallAndOfficeTime(string text, int minutes, ClockUnit unit) =>
        Assert.Equal(new ClockRule(TimeSpan.FromMinutes(minutes), unit), ClockRule.Parse(text));

    [Fact]
    public void Options_BadClockLength_NamesTheSetting() =>
        Assert.Contains("Clocks:Close", new ClockOptions { Close = "三天" }.Problem());

    [Fact]
    public void HolidayStore_Seeded_KeepsOfficeEditsAcrossRestarts()
    {
        var store = new HolidayStore(_database);
        store.Remove(new DateOnly(2026, 11, 25));
        store.Put(new Holiday { Date = "2026-11-28", Name = "调休", IsWorkday = true });

        var again = new HolidayStore(_database);
        Assert.Equal(0, again.SeedIfEmpty([new HolidaySeed { Date = "2026-11-25", Name = "测试假日" }]));
        Assert.Equal([new DateOnly(2026, 11, 28)], again.Overrides().Keys);
    }

    [Fact]
    public void Appsettings_ClocksSection_IsValidAndSeeds2026()
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: false)
            .Build();
        var options = configuration.GetSection(ClockOptions.SectionName).Get<ClockOptions>()!;
        Assert.Null(options.Problem());

        using var database = new LiteDatabase(new MemoryStream());
        var holidays = new HolidayStore(database);
        Assert.True(holidays.SeedIfEmpty(options.Holidays) > 30);
        var overrides = holidays.Overrides();
        Assert.False(overrides[new DateOnly(2026, 10, 1)]);
        Assert.True(overrides[new DateOnly(2026, 10, 10)]);
        Assert.True(overrides[new DateOnly(2026, 2, 14)]);
    }

    private static Ticket NewTicket() => new() { Number = "WT20261123-0001", Category = "环境保护", Level = TicketLevel.Grid };
}
