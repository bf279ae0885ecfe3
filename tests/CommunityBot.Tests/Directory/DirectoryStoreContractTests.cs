using CommunityBot.Directory;
using CommunityBot.Tests.Harness;

namespace CommunityBot.Tests.Directory;

/// <summary>
/// What every directory store promises (<see cref="LiteDbDirectoryStoreTests"/> on LiteDB,
/// <see cref="Storage.Postgres.PostgresDirectoryStoreTests"/> on PostgreSQL): empty until a directory is stored, then read
/// back whole with every kind's rows in import order, and replaced whole by the next import. Each concrete class starts
/// every test on an empty store.
/// </summary>
public abstract class DirectoryStoreContractTests : IAsyncLifetime
{
    protected abstract Task ReplaceAllAsync(DirectoryData data);

    protected abstract Task<DirectoryData> LoadAsync();

    protected abstract Task<bool> IsEmptyAsync();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [ContractFact]
    public async Task Load_NothingStored_IsEmpty()
    {
        Assert.True(await IsEmptyAsync());
        var data = await LoadAsync();
        Assert.True(data.IsEmpty);
        Assert.Equal("", data.StreetOffice.Name);
    }

    [ContractFact]
    public async Task ReplaceAll_ThenLoad_ReadsBackEveryRowInImportOrder()
    {
        var data = DirectoryFixture.Data();
        data.Workers.Reverse(); // not in id order: the import's order is what comes back
        data.Leave.Add(DirectoryFixture.Leave("g1", 24, 26));

        await ReplaceAllAsync(data);

        Assert.False(await IsEmptyAsync());
        Assert.Equal(DirectoryJson.Write(data), DirectoryJson.Write(await LoadAsync()));
    }

    [ContractFact]
    public async Task ReplaceAll_Again_KeepsOnlyTheNewDirectory()
    {
        await ReplaceAllAsync(DirectoryFixture.Data());
        var smaller = DirectoryFixture.Data() with
        {
            StreetOffice = new StreetOffice { Name = "新街道办" },
            Grids = DirectoryFixture.Data().Grids.Take(1).ToList(),
            Roster = [],
            Departments = [],
        };

        await ReplaceAllAsync(smaller);

        var loaded = await LoadAsync();
        Assert.Equal(DirectoryJson.Write(smaller), DirectoryJson.Write(loaded));
        Assert.Equal("新街道办", loaded.StreetOffice.Name);
    }
}
