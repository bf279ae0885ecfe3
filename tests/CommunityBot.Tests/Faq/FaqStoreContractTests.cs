using CommunityBot.Faq;
using CommunityBot.Tests.Harness;

namespace CommunityBot.Tests.Faq;

/// <summary>
/// What every FAQ store promises (<see cref="LiteDbFaqStoreTests"/> on LiteDB, <see cref="Storage.Postgres.PostgresFaqStoreTests"/>
/// on PostgreSQL): entries read back whole, upserts by id (ignoring case) keep the others, a replace keeps only the new
/// ones, a failed write keeps nothing, and what a find hands out is the caller's to change. Each write commits on its own,
/// and a find after it sees it. Each concrete class starts every test on an empty store.
/// </summary>
public abstract class FaqStoreContractTests : IAsyncLifetime
{
    protected abstract Task UpsertAsync(FaqEntry entry);

    protected abstract Task UpsertAsync(IReadOnlyCollection<FaqEntry> entries);

    protected abstract Task ReplaceAllAsync(IReadOnlyCollection<FaqEntry> entries);

    protected abstract Task<FaqEntry?> FindAsync(string id);

    protected abstract Task<IReadOnlyList<FaqEntry>> AllAsync();

    protected abstract Task<IReadOnlyList<FaqEntry>> EnabledAsync();

    protected abstract Task<int> CountAsync();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [ContractFact]
    public async Task Upsert_ExistingAndNewIds_KeepsOthers()
    {
        await ReplaceAllAsync([Entry("a", "问题A"), Entry("b", "问题B")]);

        await UpsertAsync([Entry("b", "新问题B"), Entry("c", "问题C")]);

        Assert.Equal(["a", "b", "c"], (await AllAsync()).Select(e => e.Id));
        Assert.Equal("新问题B", (await FindAsync("b"))!.Question);
        Assert.Equal("问题A", (await FindAsync("a"))!.Question);
    }

    [ContractFact]
    public async Task Upsert_OneEntry_ReplacesItsEarlierVersion()
    {
        await UpsertAsync(Entry("a", "问题A"));

        await UpsertAsync(Entry("a", "改过的问题A"));

        Assert.Equal("改过的问题A", (await FindAsync("a"))!.Question);
        Assert.Equal(1, await CountAsync());
    }

    [ContractFact]
    public async Task Upsert_SameIdTwiceInOneWrite_KeepsTheLast()
    {
        await UpsertAsync([Entry("a", "第一次"), Entry("a", "第二次")]);

        Assert.Equal("第二次", Assert.Single(await AllAsync()).Question);
    }

    [ContractFact]
    public async Task Find_IdInAnotherCase_IsTheSameEntry()
    {
        await UpsertAsync(Entry("FAQ-1", "问题"));

        await UpsertAsync(Entry("faq-1", "新问题"));

        Assert.Equal(1, await CountAsync());
        Assert.Equal("新问题", (await FindAsync("Faq-1"))!.Question);
    }

    [ContractFact]
    public async Task ReplaceAll_NewEntries_RemovesTheOldOnes()
    {
        await ReplaceAllAsync([Entry("a", "问题A"), Entry("b", "问题B")]);

        await ReplaceAllAsync([Entry("c", "问题C")]);

        Assert.Equal(["c"], (await AllAsync()).Select(e => e.Id));
        Assert.Null(await FindAsync("a"));
    }

    [ContractFact]
    public async Task Find_ReadsBackEveryField()
    {
        var updated = new DateTimeOffset(2026, 11, 24, 9, 30, 0, TimeSpan.FromHours(8));
        await UpsertAsync(new FaqEntry
        {
            Id = "wy-1",
            Question = "物业电话多少",
            Similar = ["物业的电话", "怎么联系物业\u0000"],
            Answer = "请拨打 0371-66000000",
            Category = "物业管理",
            Enabled = false,
            Updated = updated,
            Variants =
            [
                new FaqVariant { Kind = FaqScopeKind.Compound, ScopeId = "xingfuli", Answer = "幸福里物业：0371-66001111" },
                new FaqVariant { Kind = FaqScopeKind.Community, ScopeId = "FH-01", Answer = "社区物业：0371-66002222" },
            ],
        });

        var entry = (await FindAsync("wy-1"))!;

        Assert.Equal(
            ("物业电话多少", "请拨打 0371-66000000", "物业管理", false, updated),
            (entry.Question, entry.Answer, entry.Category, entry.Enabled, entry.Updated));
        Assert.Equal(["物业的电话", "怎么联系物业\u0000"], entry.Similar);
        Assert.Equal(
            [(FaqScopeKind.Compound, "xingfuli", "幸福里物业：0371-66001111"), (FaqScopeKind.Community, "FH-01", "社区物业：0371-66002222")],
            entry.Variants.Select(v => (v.Kind, v.ScopeId, v.Answer)));
        Assert.Equal("幸福里物业：0371-66001111", entry.AnswerFor("xingfuli", "FH-01"));
    }

    [ContractFact]
    public async Task Enabled_LeavesOutTheDisabledEntries()
    {
        await ReplaceAllAsync([Entry("a", "问题A"), Disabled(Entry("b", "问题B")), Entry("c", "问题C")]);

        Assert.Equal(["a", "c"], (await EnabledAsync()).Select(e => e.Id).Order(StringComparer.Ordinal));
        Assert.Equal(3, await CountAsync());
    }

    [ContractFact]
    public async Task ReplaceAll_AnUnresolvedVariant_ThrowsAndKeepsWhatWasThere()
    {
        await ReplaceAllAsync([Entry("a", "问题A")]);
        var unresolved = Entry("b", "问题B");
        unresolved.Variants.Add(new FaqVariant { Kind = FaqScopeKind.Compound, Written = "幸福里", Answer = "答" });

        await Assert.ThrowsAsync<InvalidOperationException>(() => ReplaceAllAsync([Entry("c", "问题C"), unresolved]));

        Assert.Equal(["a"], (await AllAsync()).Select(e => e.Id));
        Assert.NotNull(await FindAsync("a"));
        Assert.Null(await FindAsync("c"));
    }

    [ContractFact]
    public async Task Find_ChangingTheCopy_LeavesTheStoreAsItWas()
    {
        await UpsertAsync(Entry("a", "问题A"));

        var copy = (await FindAsync("a"))!;
        copy.Question = "改了";
        copy.Similar.Add("又一个说法");

        var again = (await FindAsync("a"))!;
        Assert.Equal("问题A", again.Question);
        Assert.Empty(again.Similar);
    }

    private static FaqEntry Disabled(FaqEntry entry)
    {
        entry.Enabled = false;
        return entry;
    }

    protected static FaqEntry Entry(string id, string question) => new() { Id = id, Question = question, Answer = "答案" + id };
}
