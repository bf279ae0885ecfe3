using CommunityBot.Clocks;

namespace CommunityBot.Tests.Clocks;

public sealed class WorkingCalendarTests
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    // Dates from 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04): 国庆节 10月1日–7日, 调休上班 9月20日 and
    // 10月10日; 春节 2月15日–23日, 调休上班 2月14日 and 2月28日.
    private static readonly WorkingCalendar Calendar = new(
        TimeZoneInfo.CreateCustomTimeZone("office", Beijing, "office", "office"),
        [new OfficePeriod(new TimeOnly(8, 30), new TimeOnly(12, 0)), new OfficePeriod(new TimeOnly(13, 30), new TimeOnly(17, 30))],
        Enumerable.Range(1, 7).ToDictionary(d => new DateOnly(2026, 10, d), _ => false)
            .Concat(Enumerable.Range(15, 9).ToDictionary(d => new DateOnly(2026, 2, d), _ => false))
            .Append(new(new DateOnly(2026, 9, 20), true))
            .Append(new(new DateOnly(2026, 10, 10), true))
            .Append(new(new DateOnly(2026, 2, 14), true))
            .Append(new(new DateOnly(2026, 2, 28), true))
            .ToDictionary());

    private static DateTimeOffset Local(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, Beijing);

    [Fact]
    public void WorkingDay_TwoPeriods_IsSevenAndAHalfHours() => Assert.Equal(TimeSpan.FromHours(7.5), Calendar.WorkingDay);

    [Fact]
    public void AddWorkingTime_AcrossLunch_SkipsTheBreak() =>
        Assert.Equal(Local(11, 23, 14, 30), Calendar.AddWorkingTime(Local(11, 23, 11), TimeSpan.FromHours(2)));

    [Fact]
    public void AddWorkingTime_EndsAtPeriodEnd_StaysBeforeLunch() =>
        Assert.Equal(Local(11, 23, 12), Calendar.AddWorkingTime(Local(11, 23, 11), TimeSpan.FromHours(1)));

    [Fact]
    public void AddWorkingTime_BeforeOfficeHours_StartsAtOpening() =>
        Assert.Equal(Local(11, 23, 9, 30), Calendar.AddWorkingTime(Local(11, 23, 7), TimeSpan.FromHours(1)));

    [Fact]
    public void AddWorkingTime_AcrossMidnight_ContinuesNextMorning() =>
        Assert.Equal(Local(11, 24, 9), Calendar.AddWorkingTime(Local(11, 23, 17), TimeSpan.FromHours(1)));

    [Fact]
    public void AddWorkingTime_LateEvening_CountsFromNextOpening() =>
        Assert.Equal(Local(11, 24, 10, 30), Calendar.AddWorkingTime(Local(11, 23, 23, 45), TimeSpan.FromHours(2)));

    [Fact]
    public void AddWorkingTime_FridayAfternoon_SkipsTheWeekend() =>
        Assert.Equal(Local(11, 30, 9, 30), Calendar.AddWorkingTime(Local(11, 27, 16, 30), TimeSpan.FromHours(2)));

    [Fact]
    public void AddWorkingTime_BeforeNationalDay_SkipsTheHoliday() =>
        Assert.Equal(Local(10, 8, 9), Calendar.AddWorkingTime(Local(9, 30, 17), TimeSpan.FromHours(1)));

    [Fact]
    public void AddWorkingTime_BeforeAdjustedSaturday_WorksOnIt() =>
        Assert.Equal(Local(10, 10, 9), Calendar.AddWorkingTime(Local(10, 9, 17), TimeSpan.FromHours(1)));

    [Fact]
    public void AddWorkingTime_SpringFestival_WorksTheAdjustedSaturdayThenSkipsNineDays()
    {
        Assert.Equal(Local(2, 14, 9), Calendar.AddWorkingTime(Local(2, 13, 17), TimeSpan.FromHours(1)));
        Assert.Equal(Local(2, 24, 9), Calendar.AddWorkingTime(Local(2, 14, 17), TimeSpan.FromHours(1)));
    }

    [Fact]
    public void AddWorkingTime_AdjustedSunday_IsWorked() =>
        Assert.Equal(Local(9, 20, 10, 30), Calendar.AddWorkingTime(Local(9, 19, 12), TimeSpan.FromHours(2)));

    [Fact]
    public void AddWorkingTime_ThreeWorkingDaysFromMondayEvening_EndsThursdayClose() =>
        Assert.Equal(Local(11, 26, 17, 30), Calendar.AddWorkingTime(Local(11, 23, 20), Calendar.WorkingDay * 3));

    [Fact]
    public void AddWorkingTime_UtcInput_AnswersInOfficeOffset()
    {
        var due = Calendar.AddWorkingTime(new DateTimeOffset(2026, 11, 23, 3, 0, 0, TimeSpan.Zero), TimeSpan.FromHours(2));
        Assert.Equal(Local(11, 23, 14, 30), due);
        Assert.Equal(Beijing, due.Offset);
    }

    [Fact]
    public void AddWorkingTime_Zero_ReturnsStart() =>
        Assert.Equal(Local(11, 28, 3), Calendar.AddWorkingTime(Local(11, 28, 3), TimeSpan.Zero));

    [Fact]
    public void WorkingTimeBetween_OverWeekend_CountsOnlyOfficeHours() =>
        Assert.Equal(TimeSpan.FromHours(2), Calendar.WorkingTimeBetween(Local(11, 27, 16, 30), Local(11, 30, 9, 30)));

    [Fact]
    public void WorkingTimeBetween_WholeDay_IsSevenAndAHalfHours() =>
        Assert.Equal(TimeSpan.FromHours(7.5), Calendar.WorkingTimeBetween(Local(11, 23, 0), Local(11, 24, 0)));

    [Fact]
    public void WorkingTimeBetween_OverNationalDay_CountsTwoDays() =>
        Assert.Equal(TimeSpan.FromHours(15), Calendar.WorkingTimeBetween(Local(9, 30, 8), Local(10, 8, 18)));

    [Fact]
    public void WorkingTimeBetween_Reversed_IsZero() =>
        Assert.Equal(TimeSpan.Zero, Calendar.WorkingTimeBetween(Local(11, 24, 10), Local(11, 23, 10)));

    [Theory]
    [InlineData(9, 30, 17, 0, 90)]
    [InlineData(11, 27, 12, 10, 600)]
    [InlineData(2, 13, 11, 0, 2000)]
    [InlineData(11, 23, 23, 59, 1)]
    public void WorkingTimeBetween_AfterAddWorkingTime_GivesTheDurationBack(int month, int day, int hour, int minute, int minutes)
    {
        var start = Local(month, day, hour, minute);
        var duration = TimeSpan.FromMinutes(minutes);
        Assert.Equal(duration, Calendar.WorkingTimeBetween(start, Calendar.AddWorkingTime(start, duration)));
    }

    [Fact]
    public void OfficeHours_Overlapping_AreRejected()
    {
        Assert.False(OfficePeriod.TryParseList("08:30-12:00,11:30-17:30", out _));
        Assert.False(OfficePeriod.TryParseList("8点半到12点", out _));
        Assert.True(OfficePeriod.TryParseList("08:30-12:00, 13:30-17:30", out var periods));
        Assert.Equal(2, periods.Count);
    }
}
