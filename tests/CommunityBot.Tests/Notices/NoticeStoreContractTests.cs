using CommunityBot.Notices;
using CommunityBot.Tests.Harness;

namespace CommunityBot.Tests.Notices;

/// <summary>
/// What every notice store promises (<see cref="LiteDbNoticeStoreTests"/> on LiteDB,
/// <see cref="Storage.Postgres.PostgresNoticeStoreTests"/> on PostgreSQL): a notice read back whole under the id it was
/// given, in force only inside its window and until withdrawn, an update applied and kept, a declined one (or one for no
/// notice) changing nothing, and the console's list newest window first. Each write commits on its own.
/// </summary>
public abstract class NoticeStoreContractTests : IAsyncLifetime
{
    protected static readonly DateTime Start = new(2026, 11, 24, 0, 0, 0, DateTimeKind.Utc);
    protected static readonly DateTime End = Start.AddHours(10);

    protected abstract Task<Notice> CreateAsync(Notice notice);

    protected abstract Task<Notice?> UpdateAsync(int id, Func<Notice, bool> change);

    protected abstract Task<Notice?> FindAsync(int id);

    protected abstract Task<IReadOnlyList<Notice>> AllAsync();

    protected abstract Task<IReadOnlyList<Notice>> InForceAsync(DateTime utc);

    protected abstract Task<IReadOnlyList<Notice>> InForceOrStartingByAsync(DateTime utc, DateTime startsBy);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [ContractFact]
    public async Task Create_ThenFind_ReadsBackEveryField()
    {
        var notice = New("停电检修");
        notice.EditedUtc = Start.AddHours(-2);
        notice.EditedBy = "editor";
        notice.Reports.Add(new NoticeReport { AtUtc = Start.AddHours(1), ReporterKey = "test|alice", ReporterName = "Alice", Location = "幸福里小区3号楼", Description = "没电了\u0000" });

        var created = await CreateAsync(notice);
        var found = (await FindAsync(created.Id))!;

        Assert.True(found.Id > 0);
        Assert.Equal(created.Id, found.Id);
        Assert.Equal(
            ("停电检修", "线路检修。", "水电气暖", "FH-01", "boss", Start, End, Start.AddDays(-1), (DateTime?)Start.AddHours(-2), "editor", (DateTime?)null),
            (found.Title, found.Text, found.Category, found.CommunityId, found.Author, found.StartUtc.ToUniversalTime(), found.EndUtc.ToUniversalTime(),
                found.CreatedUtc.ToUniversalTime(), found.EditedUtc?.ToUniversalTime(), found.EditedBy, found.WithdrawnUtc));
        Assert.Equal(["停电", "没电"], found.Keywords);
        Assert.Equal("幸福里小区3号楼", found.Where);
        var report = Assert.Single(found.Reports);
        Assert.Equal(
            (Start.AddHours(1), "test|alice", "Alice", "幸福里小区3号楼", "没电了\u0000"),
            (report.AtUtc.ToUniversalTime(), report.ReporterKey, report.ReporterName, report.Location, report.Description));
    }

    [ContractFact]
    public async Task Create_TwoNotices_GetDifferentIds_AndUnknownIdIsNull()
    {
        var first = await CreateAsync(New("停电检修"));
        var second = await CreateAsync(New("停水通知"));

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal("停水通知", (await FindAsync(second.Id))!.Title);
        Assert.Null(await FindAsync(first.Id + second.Id + 100));
    }

    [ContractFact]
    public async Task InForce_OnlyInsideTheWindowAndUntilWithdrawn()
    {
        var notice = await CreateAsync(New("停电检修"));

        Assert.Empty(await InForceAsync(Start.AddMinutes(-1)));
        Assert.Equal([notice.Id], (await InForceAsync(Start)).Select(n => n.Id));
        Assert.Empty(await InForceAsync(End));

        await UpdateAsync(notice.Id, n =>
        {
            n.WithdrawnUtc = Start.AddHours(1);
            return true;
        });

        Assert.Empty(await InForceAsync(Start.AddHours(2)));
        Assert.Empty(await InForceOrStartingByAsync(Start.AddHours(2), End));
    }

    [ContractFact]
    public async Task InForceOrStartingBy_IncludesOnesStartingSoon_NotEndedOrLaterOnes()
    {
        var now = await CreateAsync(New("停电检修"));
        var soon = await CreateAsync(New("停水通知", Start.AddHours(12), Start.AddHours(20)));
        await CreateAsync(New("燃气检修", Start.AddDays(3), Start.AddDays(4)));
        await CreateAsync(New("电梯保养", Start.AddDays(-3), Start.AddDays(-2)));

        var found = await InForceOrStartingByAsync(Start.AddHours(1), Start.AddHours(12));

        Assert.Equal([now.Id, soon.Id], found.Select(n => n.Id).Order());
    }

    [ContractFact]
    public async Task Update_Applied_IsKeptAndReturned()
    {
        var notice = await CreateAsync(New("停电检修"));

        var updated = await UpdateAsync(notice.Id, n =>
        {
            n.Reports.Add(new NoticeReport { AtUtc = Start.AddHours(1), ReporterKey = "test|bob", Description = "没电" });
            n.EndUtc = End.AddHours(2);
            return true;
        });

        Assert.Equal(notice.Id, updated?.Id);
        var found = (await FindAsync(notice.Id))!;
        Assert.Equal("test|bob", Assert.Single(found.Reports).ReporterKey);
        Assert.Equal(End.AddHours(2), found.EndUtc.ToUniversalTime());
        Assert.Single(await InForceAsync(End.AddHours(1)));
    }

    [ContractFact]
    public async Task Update_DeclinedOrNoSuchNotice_ReturnsNullAndChangesNothing()
    {
        var notice = await CreateAsync(New("停电检修"));

        var declined = await UpdateAsync(notice.Id, n =>
        {
            n.Title = "改了";
            return false;
        });
        var missing = await UpdateAsync(notice.Id + 100, _ => true);

        Assert.Null(declined);
        Assert.Null(missing);
        Assert.Equal("停电检修", (await FindAsync(notice.Id))!.Title);
        Assert.Equal("停电检修", Assert.Single(await InForceAsync(Start)).Title);
    }

    [ContractFact]
    public async Task All_NewestWindowFirst()
    {
        await CreateAsync(New("一", Start.AddDays(-2), End));
        await CreateAsync(New("三", Start.AddDays(1), End.AddDays(1)));
        await CreateAsync(New("二", Start, End));

        Assert.Equal(["三", "二", "一"], (await AllAsync()).Select(n => n.Title));
    }

    protected static Notice New(string title, DateTime? start = null, DateTime? end = null) => new()
    {
        Title = title,
        Text = "线路检修。",
        Category = "水电气暖",
        Keywords = ["停电", "没电"],
        CommunityId = "FH-01",
        Places = [new NoticePlace { CompoundId = "xingfuli", CompoundName = "幸福里小区", Buildings = ["3号楼"] }],
        StartUtc = start ?? Start,
        EndUtc = end ?? End,
        Author = "boss",
        CreatedUtc = Start.AddDays(-1),
    };
}
