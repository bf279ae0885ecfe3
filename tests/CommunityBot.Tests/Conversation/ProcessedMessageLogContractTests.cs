using CommunityBot.Conversation;
using CommunityBot.Tests.Harness;

namespace CommunityBot.Tests.Conversation;

/// <summary>
/// The processed-message log's contract, one set of assertions for every implementation (<see cref="ProcessedMessageLogTests"/>,
/// <see cref="Storage.Postgres.PostgresProcessedMessageLogTests"/>): an id recorded in a committed turn is found, a second
/// record of it is refused and keeps the first, one in a turn that fails is not kept, and old ids are forgotten.
/// </summary>
public abstract class ProcessedMessageLogContractTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset Start = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Records <paramref name="key"/> in a commit of its own; false when the log refused it as a duplicate.</summary>
    protected abstract Task<bool> AddAsync(string key, DateTimeOffset at);

    /// <summary>Records <paramref name="key"/> in a commit that then fails (a turn whose commit did not happen).</summary>
    protected abstract Task AddInFailedCommitAsync(string key, DateTimeOffset at);

    protected abstract Task<bool> ContainsAsync(string key);

    protected abstract Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [ContractFact]
    public async Task Contains_UnknownId_IsFalse()
    {
        await AddAsync(ProcessedMessageLog.KeyOf("wecom", "1"), Start);

        Assert.False(await ContainsAsync(ProcessedMessageLog.KeyOf("wecom", "2")));
        Assert.False(await ContainsAsync(ProcessedMessageLog.KeyOf("msteams", "1")));
    }

    [ContractFact]
    public async Task Add_ThenContains_IsTrue()
    {
        var key = ProcessedMessageLog.KeyOf("wecom", "MSG-1");

        Assert.True(await AddAsync(key, Start));

        Assert.True(await ContainsAsync(key));
    }

    [ContractFact]
    public async Task Add_LongMessageId_IsBoundedAndStillFound()
    {
        var key = ProcessedMessageLog.KeyOf("msteams", new string('x', 3000));

        Assert.True(await AddAsync(key, Start));

        Assert.True(await ContainsAsync(key));
        Assert.False(await ContainsAsync(ProcessedMessageLog.KeyOf("msteams", new string('x', 2999) + "y")));
    }

    [ContractFact]
    public async Task Add_SameIdTwice_SecondIsADuplicateAndKeepsTheFirstTime()
    {
        var key = ProcessedMessageLog.KeyOf("wecom", "MSG-1");
        await AddAsync(key, Start);

        Assert.False(await AddAsync(key, Start + TimeSpan.FromHours(2)));

        // Still recorded at the first time: a cutoff between the two forgets it.
        Assert.Equal(1, await DeleteOlderThanAsync(Start + TimeSpan.FromHours(1)));
        Assert.False(await ContainsAsync(key));
    }

    [ContractFact]
    public async Task Add_InACommitThatFails_IsNotKept()
    {
        var key = ProcessedMessageLog.KeyOf("wecom", "MSG-1");

        await AddInFailedCommitAsync(key, Start);

        Assert.False(await ContainsAsync(key));
        Assert.True(await AddAsync(key, Start));
    }

    [ContractFact]
    public async Task DeleteOlderThan_ForgetsOnlyOlderIds_AndCountsThem()
    {
        await AddAsync("old-1", Start);
        await AddAsync("old-2", Start + TimeSpan.FromMinutes(59));
        await AddAsync("recent", Start + TimeSpan.FromHours(1));

        Assert.Equal(2, await DeleteOlderThanAsync(Start + TimeSpan.FromHours(1)));

        Assert.False(await ContainsAsync("old-1"));
        Assert.False(await ContainsAsync("old-2"));
        Assert.True(await ContainsAsync("recent"));
    }
}
