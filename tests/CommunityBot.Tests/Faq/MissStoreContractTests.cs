using CommunityBot.Dialogs.Understanding;
using CommunityBot.Tests.Harness;

namespace CommunityBot.Tests.Faq;

/// <summary>
/// What every miss log promises (<see cref="LiteDbMissStoreTests"/> on LiteDB, <see cref="Storage.Postgres.PostgresMissStoreTests"/>
/// on PostgreSQL): misses read back whole, newest first, up to the limit asked; past <see cref="MaxMisses"/> the oldest go
/// and the newest stay. Each concrete class starts every test on an empty store kept to <see cref="MaxMisses"/>.
/// </summary>
public abstract class MissStoreContractTests : IAsyncLifetime
{
    protected const int MaxMisses = 10;
    protected static readonly DateTimeOffset At = new(2026, 1, 1, 8, 0, 0, TimeSpan.Zero);

    protected abstract Task RecordAsync(FaqMiss miss);

    protected abstract Task<IReadOnlyList<FaqMiss>> RecentAsync(int limit);

    protected abstract Task<int> CountAsync();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [ContractFact]
    public async Task Recent_ListsNewestFirst_WithEveryField()
    {
        await RecordAsync(new FaqMiss("旧问题", "webchat", "c1", At, null, 0));
        await RecordAsync(new FaqMiss("新问题", "wecom", "c2", At.AddMinutes(5).ToOffset(TimeSpan.FromHours(8)), "a", 0.4, Chosen: true));

        var recent = await RecentAsync(100);

        Assert.Equal(["新问题", "旧问题"], recent.Select(m => m.Text));
        Assert.Equal(new FaqMiss("新问题", "wecom", "c2", At.AddMinutes(5), "a", 0.4, true), recent[0]);
        Assert.Equal(new FaqMiss("旧问题", "webchat", "c1", At, null, 0, false), recent[1]);
        Assert.Equal(["新问题"], (await RecentAsync(1)).Select(m => m.Text));
    }

    [ContractFact]
    public async Task Record_ManyMoreThanTheLimit_KeepsTheNewestWithinIt()
    {
        for (var i = 0; i < 25; i++)
        {
            await RecordAsync(new FaqMiss($"问题{i}", "webchat", "c1", At.AddSeconds(i), null, 0));
        }

        Assert.InRange(await CountAsync(), MaxMisses * 9 / 10, MaxMisses);
        var recent = await RecentAsync(100);
        Assert.Equal("问题24", recent[0].Text);
        Assert.Equal(Enumerable.Range(25 - recent.Count, recent.Count).Reverse().Select(i => $"问题{i}"), recent.Select(m => m.Text));
    }
}
