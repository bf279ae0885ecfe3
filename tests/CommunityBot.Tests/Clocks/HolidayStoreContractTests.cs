using CommunityBot.Clocks;
using CommunityBot.Tests.Harness;

namespace CommunityBot.Tests.Clocks;

/// <summary>
/// What every holiday calendar store promises (<see cref="LiteDbHolidayStoreTests"/> on LiteDB,
/// <see cref="Storage.Postgres.PostgresHolidayStoreTests"/> on PostgreSQL), each edit in a commit of its own: days listed by
/// date, a day put again replaced, a removal of a day not there reported as such, the configured days seeded into an empty
/// calendar once (a date named twice kept once) and never into one the office has edited, and the calendar the clock
/// reads following every edit. Each concrete class starts every test on an empty calendar.
/// </summary>
public abstract class HolidayStoreContractTests : IAsyncLifetime
{
    protected abstract Task PutAsync(Holiday holiday);

    protected abstract Task<bool> RemoveAsync(DateOnly date);

    protected abstract Task<int> SeedIfEmptyAsync(IEnumerable<HolidaySeed> seeds);

    protected abstract Task<IReadOnlyList<Holiday>> AllAsync();

    /// <summary>The calendar as <see cref="TicketClock"/> reads it after the last edit.</summary>
    protected abstract Task<IReadOnlyDictionary<DateOnly, bool>> OverridesAsync();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [ContractFact]
    public async Task Put_ListsTheDaysByDate_AndASecondPutReplacesTheDay()
    {
        await PutAsync(new Holiday { Date = "2026-12-25", Name = "测试", IsWorkday = false });
        await PutAsync(new Holiday { Date = "2026-10-01", Name = "国庆节", IsWorkday = false });
        await PutAsync(new Holiday { Date = "2026-12-25", Name = "调休上班", IsWorkday = true });

        var all = await AllAsync();
        Assert.Equal(["2026-10-01", "2026-12-25"], all.Select(h => h.Date));
        Assert.Equal(("调休上班", true), (all[1].Name, all[1].IsWorkday));
        var overrides = await OverridesAsync();
        Assert.Equal(2, overrides.Count);
        Assert.False(overrides[new DateOnly(2026, 10, 1)]);
        Assert.True(overrides[new DateOnly(2026, 12, 25)]);
    }

    [ContractFact]
    public async Task Remove_TheDayGoes_AndADayNotThereIsReported()
    {
        await PutAsync(new Holiday { Date = "2026-10-01", Name = "国庆节" });

        Assert.True(await RemoveAsync(new DateOnly(2026, 10, 1)));
        Assert.False(await RemoveAsync(new DateOnly(2026, 10, 1)));

        Assert.Empty(await AllAsync());
        Assert.Empty(await OverridesAsync());
    }

    [ContractFact]
    public async Task SeedIfEmpty_WritesTheConfiguredDaysOnce()
    {
        HolidaySeed[] seeds =
        [
            new() { Date = "2026-10-01", To = "2026-10-07", Name = "国庆节" },
            new() { Date = "2026-10-07", Name = "重复的一天" },
            new() { Date = "2026-10-10", Name = "国庆调休", IsWorkday = true },
        ];

        Assert.Equal(8, await SeedIfEmptyAsync(seeds));
        Assert.Equal(0, await SeedIfEmptyAsync(seeds));

        var all = await AllAsync();
        Assert.Equal(8, all.Count);
        Assert.Equal("国庆节", all.Single(h => h.Date == "2026-10-07").Name);
        Assert.True((await OverridesAsync())[new DateOnly(2026, 10, 10)]);
    }

    [ContractFact]
    public async Task SeedIfEmpty_CalendarTheOfficeEdited_IsLeftAlone()
    {
        await PutAsync(new Holiday { Date = "2026-11-28", Name = "调休", IsWorkday = true });

        Assert.Equal(0, await SeedIfEmptyAsync([new HolidaySeed { Date = "2026-11-25", Name = "测试假日" }]));

        Assert.Equal([new DateOnly(2026, 11, 28)], (await OverridesAsync()).Keys);
    }
}
