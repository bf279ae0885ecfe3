using System.Text.Json;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Engine;
using CommunityBot.Notifications;
using CommunityBot.Tests.Harness;
using Microsoft.Extensions.Time.Testing;

namespace CommunityBot.Tests.Notifications;

/// <summary>
/// What every outbox keeps, one set of assertions for each implementation (<see cref="OutboxTests"/> on LiteDB,
/// <see cref="Storage.Postgres.PostgresOutboxTests"/> on PostgreSQL): entries kept exactly when their write commits, read
/// back whole and oldest first, a delivered entry gone, a failed attempt retried after the doubling, capped delay and given
/// up on after the last one, an undeliverable entry failed at once, the failed ones listed newest first and purged after
/// their retention, and the counts and backlog the health pages read.
/// </summary>
/// <remarks>
/// The shapes differ in how an entry is picked for delivery. LiteDB's outbox marks the entries its one dispatcher picked in
/// memory; PostgreSQL's hands entries out with leased claims, only each conversation's oldest pending one and only when it
/// is due. So the outcomes here act on "the conversation's first pending entry", which the PostgreSQL class claims first,
/// and a test moves the clock past a retry's delay before acting on the entry again. Which entries are claimable, and
/// what several instances see, is PostgreSQL's alone (<see cref="Storage.Postgres.PostgresOutboxTests"/>,
/// <see cref="Storage.Postgres.PostgresOutboxCrossInstanceTests"/>); LiteDB's order lives in <see cref="OutboxDispatcher"/>.
/// </remarks>
public abstract class OutboxContractTests : IAsyncLifetime
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

    /// <summary>Stores the entries in one commit with <paramref name="alsoWrite"/> (run after them); when it throws, nothing is kept.</summary>
    protected abstract Task InsertAsync(IReadOnlyList<OutboxMessage> messages, Action? alsoWrite = null);

    protected abstract Task<IReadOnlyList<OutboxMessage>> PendingAsync();

    protected abstract Task<IReadOnlyList<OutboxMessage>> AllAsync();

    protected abstract Task<IReadOnlyList<OutboxMessage>> FailedAsync(int limit);

    protected abstract Task<(int Pending, int Failed)> CountsAsync();

    protected abstract Task<OutboxBacklog> BacklogAsync();

    protected abstract Task<int> DeleteFailedBeforeAsync(DateTimeOffset cutoff);

    /// <summary>The conversation's first pending entry (due now) was delivered.</summary>
    protected abstract Task DeliveredAsync(string conversationKey);

    /// <summary>The conversation's first pending entry (due now) failed an attempt.</summary>
    protected abstract Task FailedAttemptAsync(string conversationKey, string error);

    /// <summary>The conversation's first pending entry (due now) can never be delivered.</summary>
    protected abstract Task UndeliverableAsync(string conversationKey, string error);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    private DateTime Now => Time.GetUtcNow().UtcDateTime;

    [ContractFact]
    public async Task Insert_ThenPending_OldestFirstWithEveryFieldReadBack()
    {
        var first = Reply("g1", "答复\u0000一");
        var broadcast = Reply("g2", "停水通知");
        broadcast.Bulk = true;
        broadcast.BroadcastId = "b1";
        Time.Advance(TimeSpan.FromSeconds(1));
        var second = Reply("g1", "答复二");

        await InsertAsync([first, broadcast, second]);
        var pending = await PendingAsync();

        Assert.Equal(["答复\u0000一", "停水通知", "答复二"], pending.Select(Text));
        var read = pending[1];
        Assert.Equal((TestChannel.Name, $"{TestChannel.Name}/g2"), (read.Channel, read.ConversationKey));
        Assert.Equal(broadcast.To, read.To);
        Assert.Equal(broadcast.Message, read.Message);
        Assert.Equal((Start.UtcDateTime, Start.UtcDateTime), (read.CreatedAt.ToUniversalTime(), read.DueAt.ToUniversalTime()));
        Assert.Equal((0, OutboxStatus.Pending, true, "b1"), (read.Attempts, read.Status, read.Bulk, read.BroadcastId));
        Assert.Null(read.LastError);
        Assert.Null(read.FailedAt);
        Assert.Equal(Start.UtcDateTime.AddSeconds(1), pending[2].CreatedAt.ToUniversalTime());
        Assert.Equal((false, (string?)null), (pending[2].Bulk, pending[2].BroadcastId));
        Assert.Equal(first.Message, pending[0].Message);
    }

    [ContractFact]
    public async Task Insert_ManyInOneWrite_KeepTheirOrder()
    {
        await InsertAsync(Enumerable.Range(0, 50).Select(i => Reply(i % 2 == 0 ? "g1" : "g2", $"{i}")).ToList());

        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"{i}"), (await PendingAsync()).Select(Text));
    }

    [ContractFact]
    public async Task Insert_WriteFails_KeepsNothing()
    {
        await InsertAsync([Reply("g1", "before")]);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            InsertAsync([Reply("g1", "rolled back"), Reply("g2", "rolled back")], () => throw new InvalidOperationException("the turn failed (test)")));

        Assert.Equal(["before"], (await AllAsync()).Select(Text));
        Assert.Equal((1, 0), await CountsAsync());
    }

    [ContractFact]
    public async Task Delivered_RemovesThatEntryOnly()
    {
        await InsertAsync([Reply("g1", "一"), Reply("g2", "甲"), Reply("g1", "二")]);

        await DeliveredAsync($"{TestChannel.Name}/g1");

        Assert.Equal(["甲", "二"], (await PendingAsync()).Select(Text));
        await DeliveredAsync($"{TestChannel.Name}/g1");
        await DeliveredAsync($"{TestChannel.Name}/g2");
        Assert.Empty(await AllAsync());
        Assert.Equal((0, 0), await CountsAsync());
    }

    [ContractFact]
    public async Task FailedAttempt_RetriedAfterADoublingCappedDelay_ThenFailedAtTheLastAttempt()
    {
        var key = $"{TestChannel.Name}/g1";
        await InsertAsync([Reply("g1", "一"), Reply("g1", "二")]);

        await FailedAttemptAsync(key, "endpoint down");
        var retried = (await PendingAsync())[0];
        Assert.Equal(("一", 1, "endpoint down"), (Text(retried), retried.Attempts, retried.LastError));
        Assert.Equal(Now + TimeSpan.FromSeconds(5), retried.DueAt.ToUniversalTime());
        Assert.Equal(["一", "二"], (await PendingAsync()).Select(Text)); // still first of its conversation

        Time.Advance(TimeSpan.FromSeconds(5));
        await FailedAttemptAsync(key, "still down");
        retried = (await PendingAsync())[0];
        Assert.Equal((2, "still down"), (retried.Attempts, retried.LastError));
        Assert.Equal(Now + TimeSpan.FromSeconds(8), retried.DueAt.ToUniversalTime()); // 10 s, capped at MaxRetryDelay

        Time.Advance(TimeSpan.FromSeconds(8));
        await FailedAttemptAsync(key, "gone");
        var failed = Assert.Single(await FailedAsync(10));
        Assert.Equal(("一", OutboxStatus.Failed, 3, "gone"), (Text(failed), failed.Status, failed.Attempts, failed.LastError));
        Assert.Equal(Now, failed.FailedAt?.ToUniversalTime());
        Assert.Equal(["二"], (await PendingAsync()).Select(Text));
        Assert.Equal((1, 1), await CountsAsync());
    }

    [ContractFact]
    public async Task Undeliverable_FailsAtOnceWithoutCountingAnAttempt()
    {
        await InsertAsync([Reply("g1", "一"), Reply("g1", "二")]);
        Time.Advance(TimeSpan.FromMinutes(1));

        await UndeliverableAsync($"{TestChannel.Name}/g1", "no such chat");

        var failed = Assert.Single(await FailedAsync(10));
        Assert.Equal(("一", OutboxStatus.Failed, 0, "no such chat"), (Text(failed), failed.Status, failed.Attempts, failed.LastError));
        Assert.Equal(Now, failed.FailedAt?.ToUniversalTime());
        Assert.Equal(["二"], (await PendingAsync()).Select(Text));
        Assert.Equal(["一", "二"], (await AllAsync()).Select(Text));
    }

    [ContractFact]
    public async Task Failed_NewestFirstUpToTheLimit()
    {
        await InsertAsync([Reply("g1", "一"), Reply("g2", "二"), Reply("g3", "三")]);
        foreach (var conversation in new[] { "g2", "g1", "g3" })
        {
            await UndeliverableAsync($"{TestChannel.Name}/{conversation}", "rejected");
            Time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(["三", "一"], (await FailedAsync(2)).Select(Text));
        Assert.Equal(["三", "一", "二"], (await FailedAsync(10)).Select(Text));
    }

    [ContractFact]
    public async Task DeleteFailedBefore_PurgesOnlyWhatWasGivenUpOnBeforeTheCutoff()
    {
        await InsertAsync([Reply("g1", "old failure"), Reply("g2", "new failure"), Reply("g3", "still pending")]);
        await UndeliverableAsync($"{TestChannel.Name}/g1", "rejected");
        Time.Advance(TimeSpan.FromHours(2));
        await UndeliverableAsync($"{TestChannel.Name}/g2", "rejected");

        var purged = await DeleteFailedBeforeAsync(Time.GetUtcNow() - TimeSpan.FromHours(1));

        Assert.Equal(1, purged);
        Assert.Equal(["new failure", "still pending"], (await AllAsync()).Select(Text));
        Assert.Equal(0, await DeleteFailedBeforeAsync(Time.GetUtcNow() - TimeSpan.FromHours(1)));
    }

    [ContractFact]
    public async Task Backlog_CountsWhatWaitsAndTheOldestWaitingReply()
    {
        Assert.Equal(new OutboxBacklog(0, 0, 0, null), await BacklogAsync());
        var reminder = Reply("w1", "催办");
        reminder.Bulk = true;
        Time.Advance(TimeSpan.FromMinutes(1));
        var retrying = Reply("g1", "答复");
        Time.Advance(TimeSpan.FromMinutes(1));
        await InsertAsync([reminder, retrying, Reply("g2", "答复"), Reply("g3", "被拒")]);
        await FailedAttemptAsync($"{TestChannel.Name}/g1", "endpoint down"); // waiting for its retry, the resident still waits
        await UndeliverableAsync($"{TestChannel.Name}/g3", "rejected");
        Time.Advance(TimeSpan.FromMinutes(3));

        // The bulk reminder is older, but only replies count towards the age.
        Assert.Equal(new OutboxBacklog(3, 2, 1, TimeSpan.FromMinutes(4)), await BacklogAsync());
        Assert.Equal((3, 1), await CountsAsync());
    }

    protected OutboxMessage Reply(string conversationId, string text) =>
        OutboxMessage.For(new ConversationReference { Channel = TestChannel.Name, ConversationId = conversationId, IsGroup = true }, OutboundMessage.Plain(text), Now);

    protected static string Text(OutboxMessage message) =>
        JsonSerializer.Deserialize<OutboundMessage>(message.Message, DialogJson.Options)!.Text;
}
