using CommunityBot.Clocks;
using LiteDB;

namespace CommunityBot.Tests.Clocks;

/// <summary>The holiday calendar contract (<see cref="HolidayStoreContractTests"/>) on LiteDB's <see cref="HolidayStore"/>.</summary>
public sealed class LiteDbHolidayStoreTests : HolidayStoreContractTests
{
    private readonly LiteDatabase _database = new(new MemoryStream());
    private readonly HolidayStore _holidays;

    public LiteDbHolidayStoreTests() => _holidays = new HolidayStore(_database);

    public override Task DisposeAsync()
    {
        _database.Dispose();
        return Task.CompletedTask;
    }

    protected override Task PutAsync(Holiday holiday)
    {
        _holidays.Put(holiday);
        return Task.CompletedTask;
    }

    protected override Task<bool> RemoveAsync(DateOnly date) => Task.FromResult(_holidays.Remove(date));

    protected override Task<int> SeedIfEmptyAsync(IEnumerable<HolidaySeed> seeds) => Task.FromResult(_holidays.SeedIfEmpty(seeds));

    protected override Task<IReadOnlyList<Holiday>> AllAsync() => Task.FromResult(_holidays.All());

    protected override Task<IReadOnlyDictionary<DateOnly, bool>> OverridesAsync() => Task.FromResult(_holidays.Overrides());
}
