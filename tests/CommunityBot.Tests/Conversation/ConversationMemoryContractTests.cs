using CommunityBot.Dialogs.Conversation;
using CommunityBot.Tests.Harness;

namespace CommunityBot.Tests.Conversation;

/// <summary>
/// What every conversation memory promises (<see cref="LiteDbConversationMemoryTests"/> on LiteDB,
/// <see cref="Storage.Postgres.PostgresConversationMemoryTests"/> on PostgreSQL): a fact is marked the first time only, each
/// key on its own, a key longer than the storage's bound included, and of many marks of one key at once exactly one is the
/// first. Each concrete class starts on an empty memory.
/// </summary>
public abstract class ConversationMemoryContractTests : IAsyncLifetime
{
    /// <summary>The memory under test; <see cref="OtherInstance"/> one over the same storage (for PostgreSQL, another instance).</summary>
    protected abstract IConversationMemory Memory { get; }

    protected abstract IConversationMemory OtherInstance { get; }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [ContractFact]
    public async Task MarkOnce_TrueTheFirstTimeOnly_EachKeyOnItsOwn()
    {
        Assert.True(await Memory.MarkOnceAsync("greeted/wecom/g1", CancellationToken.None));
        Assert.False(await Memory.MarkOnceAsync("greeted/wecom/g1", CancellationToken.None));
        Assert.False(await OtherInstance.MarkOnceAsync("greeted/wecom/g1", CancellationToken.None));
        Assert.True(await OtherInstance.MarkOnceAsync("greeted/wecom/g2", CancellationToken.None));
    }

    [ContractFact]
    public async Task MarkOnce_LongKey_IsMarkedOnce()
    {
        var key = "greeted/wecom/" + new string('群', 2000);

        Assert.True(await Memory.MarkOnceAsync(key, CancellationToken.None));
        Assert.False(await Memory.MarkOnceAsync(key, CancellationToken.None));
        Assert.True(await Memory.MarkOnceAsync(key + "2", CancellationToken.None));
    }

    [ContractFact]
    public async Task MarkOnce_ManyAtOnceOnBoth_ExactlyOneIsFirst()
    {
        var marks = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() =>
            (i % 2 == 0 ? Memory : OtherInstance).MarkOnceAsync("greeted/msteams/g9", CancellationToken.None))));

        Assert.Single(marks, m => m);
    }
}
