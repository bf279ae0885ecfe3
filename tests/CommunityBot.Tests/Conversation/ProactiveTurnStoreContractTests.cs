using CommunityBot.Conversation;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Notifications;
using CommunityBot.Tests.Harness;
using Microsoft.Extensions.Time.Testing;

namespace CommunityBot.Tests.Conversation;

/// <summary>
/// What every store of proactive turns' requests promises (<see cref="LiteDbProactiveTurnStoreTests"/> on LiteDB,
/// <see cref="Storage.Postgres.PostgresProactiveTurnStoreTests"/> on PostgreSQL): requests read back as written, pending
/// oldest first; an insert whose write fails keeps nothing; a deleted request is gone and the others stay; a failed run is
/// retried after a doubling, capped delay and given up on at the last attempt (<see cref="OutboxOptions"/>, as the outbox);
/// the requests given up on before a cutoff are purged. Each concrete class starts every test on an empty store.
/// </summary>
/// <remarks>
/// On PostgreSQL a request is changed by whoever holds its lease, and only a resident's oldest pending request that is due
/// can be leased. So the outcomes here act on a resident's first pending request, which the PostgreSQL class claims first,
/// and a test moves the clock past a retry's delay before acting on it again. What the claims promise across instances is
/// PostgreSQL's alone; LiteDB's order lives in <see cref="ProactiveTurnRunner"/>.
/// </remarks>
public abstract class ProactiveTurnStoreContractTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    protected FakeTimeProvider Time { get; } = new(Start);

    /// <summary>Three attempts, 5 s then 8 s (10 s capped) between them.</summary>
    protected static OutboxOptions Options { get; } = new()
    {
        MaxAttempts = 3,
        FirstRetryDelay = TimeSpan.FromSeconds(5),
        MaxRetryDelay = TimeSpan.FromSeconds(8),
    };

    /// <summary>Stores the requests in one commit with <paramref name="alsoWrite"/> (run after them); when it throws, nothing is kept.</summary>
    protected abstract Task InsertAsync(IReadOnlyList<ProactiveTurn> turns, Action? alsoWrite = null);

    protected abstract Task<IReadOnlyList<ProactiveTurn>> PendingAsync();

    protected abstract Task<IReadOnlyList<ProactiveTurn>> AllAsync();

    /// <summary>The request (its resident's first pending one, due now) ran: deleted in its turn's commit.</summary>
    protected abstract Task DeleteAsync(ProactiveTurn turn);

    /// <summary>The request (its resident's first pending one, due now) failed a run.</summary>
    protected abstract Task FailedAttemptAsync(ProactiveTurn turn, string error);

    protected abstract Task<int> DeleteFailedBeforeAsync(DateTimeOffset cutoff);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    private DateTime Now => Time.GetUtcNow().UtcDateTime;

    [ContractFact]
    public async Task Insert_ThenPending_OldestFirstWithEveryFieldReadBack()
    {
        var survey = Request("alice", "ticket.feedback", """{"ticketNumber":"WT20261123-0001","note":"已修好\u0000"}""");
        var contact = Request("bob", "ticket.contact", """{"ticketNumber":"WT20261123-0002"}""");
        Time.Advance(TimeSpan.FromSeconds(1));
        var second = Request("alice", "ticket.contact", "not json");

        await InsertAsync([survey, contact]);
        await InsertAsync([second]);
        var pending = await PendingAsync();

        Assert.Equal([survey.Id, contact.Id, second.Id], pending.Select(t => t.Id));
        var read = pending[0];
        Assert.Equal(
            (survey.ResidentKey, survey.To, survey.Name, survey.Value, survey.MessageId),
            (read.ResidentKey, read.To, read.Name, read.Value, read.MessageId));
        Assert.Equal("test/private-alice/alice", read.ResidentKey);
        Assert.Equal((Start.UtcDateTime, Start.UtcDateTime), (read.CreatedAt.ToUniversalTime(), read.DueAt.ToUniversalTime()));
        Assert.Equal((0, ProactiveTurnStatus.Pending, (string?)null, (DateTime?)null), (read.Attempts, read.Status, read.LastError, read.FailedAt));
        Assert.Equal(("not json", Start.UtcDateTime.AddSeconds(1)), (pending[2].Value, pending[2].CreatedAt.ToUniversalTime()));
        Assert.Equal([survey.Id, contact.Id, second.Id], (await AllAsync()).Select(t => t.Id).Order());
    }

    [ContractFact]
    public async Task Insert_WriteFails_KeepsNothing()
    {
        var kept = Request("alice");
        await InsertAsync([kept]);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            InsertAsync([Request("alice"), Request("bob")], () => throw new InvalidOperationException("the ticket write failed (test)")));

        Assert.Equal([kept.Id], (await AllAsync()).Select(t => t.Id));
    }

    [ContractFact]
    public async Task Delete_RemovesThatRequestOnly()
    {
        var (first, other, next) = (Request("alice"), Request("bob"), Request("alice"));
        await InsertAsync([first, other, next]);

        await DeleteAsync(other);

        Assert.Equal([first.Id, next.Id], (await PendingAsync()).Select(t => t.Id));
        await DeleteAsync(first);
        Assert.Equal([next.Id], (await PendingAsync()).Select(t => t.Id));
        await DeleteAsync(next);
        Assert.Empty(await AllAsync());
    }

    [ContractFact]
    public async Task FailedAttempt_RetriedAfterADoublingCappedDelay_ThenFailedAtTheLastAttempt()
    {
        var (first, next) = (Request("alice"), Request("alice"));
        await InsertAsync([first, next]);

        await FailedAttemptAsync((await PendingAsync())[0], "TimeoutException");
        var retried = (await PendingAsync())[0];
        Assert.Equal((first.Id, 1, "TimeoutException"), (retried.Id, retried.Attempts, retried.LastError));
        Assert.Equal(Now + TimeSpan.FromSeconds(5), retried.DueAt.ToUniversalTime());
        Assert.Equal([first.Id, next.Id], (await PendingAsync()).Select(t => t.Id)); // still the first of its resident

        Time.Advance(TimeSpan.FromSeconds(5));
        await FailedAttemptAsync((await PendingAsync())[0], "HttpRequestException");
        retried = (await PendingAsync())[0];
        Assert.Equal((2, "HttpRequestException"), (retried.Attempts, retried.LastError));
        Assert.Equal(Now + TimeSpan.FromSeconds(8), retried.DueAt.ToUniversalTime()); // 10 s, capped at MaxRetryDelay

        Time.Advance(TimeSpan.FromSeconds(8));
        await FailedAttemptAsync((await PendingAsync())[0], "JsonException");
        var failed = Assert.Single(await AllAsync(), t => t.Status == ProactiveTurnStatus.Failed);
        Assert.Equal((first.Id, 3, "JsonException"), (failed.Id, failed.Attempts, failed.LastError));
        Assert.Equal(Now, failed.FailedAt?.ToUniversalTime());
        Assert.Equal([next.Id], (await PendingAsync()).Select(t => t.Id));
    }

    [ContractFact]
    public async Task DeleteFailedBefore_PurgesOnlyWhatWasGivenUpOnBeforeTheCutoff()
    {
        var (old, recent, pending) = (Request("alice"), Request("bob"), Request("carol"));
        await InsertAsync([old, recent, pending]);
        await GiveUpAsync(old);
        Time.Advance(TimeSpan.FromHours(2));
        await GiveUpAsync(recent);

        var purged = await DeleteFailedBeforeAsync(Time.GetUtcNow() - TimeSpan.FromHours(1));

        Assert.Equal(1, purged);
        Assert.Equal([recent.Id, pending.Id], (await AllAsync()).Select(t => t.Id).Order());
        Assert.Equal(0, await DeleteFailedBeforeAsync(Time.GetUtcNow() - TimeSpan.FromHours(1)));
        Assert.Equal([pending.Id], (await PendingAsync()).Select(t => t.Id));
    }

    /// <summary>Fails the request's every attempt, moving the clock past each back-off.</summary>
    private async Task GiveUpAsync(ProactiveTurn turn)
    {
        for (var attempt = 0; attempt < Options.MaxAttempts; attempt++)
        {
            var current = (await PendingAsync()).Single(t => t.Id == turn.Id);
            if (current.DueAt.ToUniversalTime() > Now)
            {
                Time.Advance(current.DueAt.ToUniversalTime() - Now);
            }

            await FailedAttemptAsync(current, "failed (test)");
        }
    }

    /// <summary>A request for a turn in <paramref name="user"/>'s private chat, built now.</summary>
    protected ProactiveTurn Request(string user, string name = "ticket.contact", string value = """{"ticketNumber":"WT20261123-0001"}""") =>
        ProactiveTurn.For(new ConversationReference { Channel = TestChannel.Name, ConversationId = "private-" + user, UserId = user }, name, value, Now);
}
