using CommunityBot.Tests.Harness;
using CommunityBot.Tickets;

namespace CommunityBot.Tests.Tickets;

using Handoff = CommunityBot.Tickets.Handoff;

/// <summary>
/// What every take-over store promises (<see cref="LiteDbHandoffStoreTests"/> on LiteDB,
/// <see cref="Storage.Postgres.PostgresHandoffStoreTests"/> on PostgreSQL): a take-over read back as written, by its
/// resident's thread, by the worker's chat (the most recently active one), by worker and by ticket; replaced by the next
/// write of the same thread; removed, and a removal of none reported as such. Each concrete class starts every test on an
/// empty store.
/// </summary>
public abstract class HandoffStoreContractTests : IAsyncLifetime
{
    protected static readonly DateTime T0 = new(2026, 12, 3, 1, 0, 0, DateTimeKind.Utc);

    /// <summary>Stores the take-over in a commit of its own.</summary>
    protected abstract Task PutAsync(Handoff handoff);

    /// <summary>Removes the thread's take-over in a commit of its own; whether there was one.</summary>
    protected abstract Task<bool> RemoveAsync(string residentKey);

    protected abstract Task<Handoff?> ForResidentAsync(string residentKey);

    protected abstract Task<Handoff?> ForWorkerAsync(string workerKey);

    protected abstract Task<IReadOnlyList<Handoff>> ForWorkerIdAsync(string workerId);

    protected abstract Task<IReadOnlyList<Handoff>> ForTicketAsync(string ticketNumber);

    protected abstract Task<IReadOnlyList<Handoff>> AllAsync();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [ContractFact]
    public async Task Put_ThenForResident_ReadsBackEveryField()
    {
        var handoff = new Handoff
        {
            ResidentKey = "wecom/g1/u1",
            WorkerKey = "wecom/p-w01/w01",
            TicketNumber = "WT20261203-0001",
            WorkerId = "w01",
            WorkerName = "王芳",
            ResidentName = "张阿姨",
            ResidentAddress = """{"channel":"wecom","conversationId":"g1","userId":"u1"}""",
            WorkerAddress = """{"channel":"wecom","conversationId":"p-w01","userId":"w01"}""",
            StartedAt = T0,
            LastActivityAt = T0.AddMinutes(7),
            ResidentWaitingSince = T0.AddMinutes(5),
            Escalated = true,
        };

        await PutAsync(handoff);

        var stored = await ForResidentAsync("wecom/g1/u1");
        Assert.NotNull(stored);
        Assert.Equal(
            (handoff.WorkerKey, handoff.TicketNumber, handoff.WorkerId, handoff.WorkerName, handoff.ResidentName, handoff.ResidentAddress, handoff.WorkerAddress),
            (stored.WorkerKey, stored.TicketNumber, stored.WorkerId, stored.WorkerName, stored.ResidentName, stored.ResidentAddress, stored.WorkerAddress));
        Assert.Equal(
            (T0, T0.AddMinutes(7), (DateTime?)T0.AddMinutes(5), true),
            (stored.StartedAt.ToUniversalTime(), stored.LastActivityAt.ToUniversalTime(), stored.ResidentWaitingSince?.ToUniversalTime(), stored.Escalated));
        Assert.Null(await ForResidentAsync("wecom/g1/u2"));
    }

    [ContractFact]
    public async Task Put_SameThreadAgain_ReplacesTheTakeOver()
    {
        await PutAsync(Handoff("wecom/g1/u1", "w01", "WT20261203-0001", T0));
        var changed = Handoff("wecom/g1/u1", "w02", "WT20261203-0002", T0.AddMinutes(1));
        changed.ResidentWaitingSince = null;

        await PutAsync(changed);

        var stored = await ForResidentAsync("wecom/g1/u1");
        Assert.Equal(("w02", "WT20261203-0002", (DateTime?)null), (stored?.WorkerId, stored?.TicketNumber, stored?.ResidentWaitingSince));
        Assert.Single(await AllAsync());
        Assert.Empty(await ForWorkerIdAsync("w01"));
        Assert.Empty(await ForTicketAsync("WT20261203-0001"));
    }

    [ContractFact]
    public async Task ForWorker_IsTheMostRecentlyActiveTakeOverFromThatChat()
    {
        await PutAsync(Handoff("wecom/g1/u1", "w01", "WT20261203-0001", T0.AddMinutes(3)));
        await PutAsync(Handoff("wecom/g1/u2", "w01", "WT20261203-0002", T0.AddMinutes(9)));
        await PutAsync(Handoff("wecom/g2/u3", "w01", "WT20261203-0003", T0.AddMinutes(5)));
        await PutAsync(Handoff("wecom/g2/u4", "w02", "WT20261203-0004", T0.AddMinutes(20)));

        Assert.Equal("wecom/g1/u2", (await ForWorkerAsync("wecom/p-w01/w01"))?.ResidentKey);
        Assert.Null(await ForWorkerAsync("wecom/p-w09/w09"));
    }

    [ContractFact]
    public async Task ForWorkerIdAndForTicket_ListOnlyTheirOwn()
    {
        await PutAsync(Handoff("wecom/g1/u1", "w01", "WT20261203-0001", T0));
        await PutAsync(Handoff("wecom/g1/u2", "w01", "WT20261203-0002", T0));
        await PutAsync(Handoff("wecom/g2/u3", "w02", "WT20261203-0002", T0));

        Assert.Equal(["wecom/g1/u1", "wecom/g1/u2"], (await ForWorkerIdAsync("w01")).Select(h => h.ResidentKey).Order());
        Assert.Equal(["wecom/g1/u2", "wecom/g2/u3"], (await ForTicketAsync("WT20261203-0002")).Select(h => h.ResidentKey).Order());
        Assert.Empty(await ForTicketAsync("WT20261203-0009"));
        Assert.Equal(3, (await AllAsync()).Count);
    }

    [ContractFact]
    public async Task Remove_EndsOnlyThatTakeOver_AndRemovingNoneSaysSo()
    {
        await PutAsync(Handoff("wecom/g1/u1", "w01", "WT20261203-0001", T0));
        await PutAsync(Handoff("wecom/g1/u2", "w01", "WT20261203-0002", T0));

        Assert.True(await RemoveAsync("wecom/g1/u1"));
        Assert.False(await RemoveAsync("wecom/g1/u1"));
        Assert.False(await RemoveAsync("wecom/g9/u9"));

        Assert.Null(await ForResidentAsync("wecom/g1/u1"));
        Assert.Equal(["wecom/g1/u2"], (await AllAsync()).Select(h => h.ResidentKey));
    }

    protected static Handoff Handoff(string residentKey, string workerId, string ticketNumber, DateTime lastActivity) => new()
    {
        ResidentKey = residentKey,
        WorkerKey = $"wecom/p-{workerId}/{workerId}",
        TicketNumber = ticketNumber,
        WorkerId = workerId,
        WorkerName = "网格员" + workerId,
        ResidentName = "居民",
        ResidentAddress = "{}",
        WorkerAddress = "{}",
        StartedAt = T0,
        LastActivityAt = lastActivity,
        ResidentWaitingSince = lastActivity,
    };
}
