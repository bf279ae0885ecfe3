using System.Text.Json;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Engine;
using CommunityBot.Notifications;
using CommunityBot.Storage;
using CommunityBot.Storage.Postgres;
using CommunityBot.Tests.Harness;
using CommunityBot.Tests.Notifications;
using Npgsql;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>
/// The outbox contract (<see cref="OutboxContractTests"/>) on <see cref="PostgresOutbox"/>, the class's throw-away database
/// emptied before each test: inserts commit in a transaction of their own, and an outcome claims the conversation's entry
/// first (handing back the other heads that claim took). Then what only the claims promise, on one instance: each
/// conversation's oldest pending entry alone is claimable, replies first, held back by a retry's time; leases; the
/// wake-up a committed insert sends.
/// </summary>
[PostgresTests]
public sealed class PostgresOutboxTests(PostgresDatabase database) : OutboxContractTests, IClassFixture<PostgresDatabase>
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    private NpgsqlDataSource? _source;
    private PostgresOutbox? _outbox;

    private PostgresOutbox Store => _outbox!;

    public override async Task InitializeAsync()
    {
        if (PostgresTestServer.ConnectionString is null)
        {
            return;
        }

        _source = database.NewDataSource();
        _outbox = new PostgresOutbox(_source, Time, MsOptions.Create(Options));
        await using var command = _source.CreateCommand("TRUNCATE outbox RESTART IDENTITY");
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task InsertAsync(IReadOnlyList<OutboxMessage> messages, Action? alsoWrite = null)
    {
        await using var connection = await _source!.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await Store.InsertAsync(messages, transaction, CancellationToken.None);
        alsoWrite?.Invoke();
        await transaction.CommitAsync();
    }

    protected override async Task<IReadOnlyList<OutboxMessage>> PendingAsync() => Messages(await Store.PendingAsync(CancellationToken.None));

    protected override async Task<IReadOnlyList<OutboxMessage>> AllAsync() => Messages(await Store.AllAsync(CancellationToken.None));

    protected override async Task<IReadOnlyList<OutboxMessage>> FailedAsync(int limit) => Messages(await Store.FailedAsync(limit, CancellationToken.None));

    protected override Task<(int Pending, int Failed)> CountsAsync() => Store.CountsAsync(CancellationToken.None);

    protected override Task<OutboxBacklog> BacklogAsync() => Store.BacklogAsync(CancellationToken.None);

    protected override Task<int> DeleteFailedBeforeAsync(DateTimeOffset cutoff) => Store.DeleteFailedBeforeAsync(cutoff, CancellationToken.None);

    protected override async Task DeliveredAsync(string conversationKey) =>
        Assert.True(await Store.CompleteAsync(await ClaimHeadAsync(conversationKey), CancellationToken.None));

    protected override async Task FailedAttemptAsync(string conversationKey, string error) =>
        Assert.True(await Store.RetryLaterAsync(await ClaimHeadAsync(conversationKey), error, CancellationToken.None));

    protected override async Task UndeliverableAsync(string conversationKey, string error) =>
        Assert.True(await Store.FailAsync(await ClaimHeadAsync(conversationKey), error, CancellationToken.None));

    [PostgresFact]
    public async Task Claim_TakesEachConversationsOldestPendingEntryOnly_RepliesBeforeBulk()
    {
        var reminder = Reply("w1", "催办");
        reminder.Bulk = true;
        await InsertAsync([reminder, Reply("g1", "一"), Reply("g2", "甲"), Reply("g1", "二"), Reply("g2", "乙")]);

        var claims = await ClaimAsync();

        Assert.Equal(["一", "甲", "催办"], claims.Select(c => Text(c.Message)));
        Assert.All(claims, c => Assert.Equal(("test", Time.GetUtcNow().UtcDateTime + Lease), (c.ClaimedBy, c.ClaimedUntil)));
        Assert.Empty(await ClaimAsync()); // every conversation has an entry in flight
        Assert.True(await Store.CompleteAsync(claims[0], CancellationToken.None));
        Assert.Equal(["二"], (await ClaimAsync()).Select(c => Text(c.Message)));
    }

    [PostgresFact]
    public async Task Claim_Limit_TakesTheOldestConversationsFirst()
    {
        await InsertAsync([Reply("g3", "三"), Reply("g1", "一"), Reply("g2", "二")]);

        Assert.Equal(["三", "一"], (await ClaimAsync(limit: 2)).Select(c => Text(c.Message)));
        Assert.Equal(["二"], (await ClaimAsync(limit: 2)).Select(c => Text(c.Message)));
    }

    [PostgresFact]
    public async Task Claim_HeadWaitingForItsRetry_HoldsBackItsConversationOnly()
    {
        await InsertAsync([Reply("g1", "一"), Reply("g1", "二"), Reply("g2", "甲")]);
        var first = (await ClaimAsync())[0];
        Assert.True(await Store.RetryLaterAsync(first, "endpoint down", CancellationToken.None));

        Assert.Empty(await ClaimAsync()); // g2's head is still leased; g1's head waits 5 s and "二" behind it
        Time.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromTicks(10));
        Assert.Empty(await ClaimAsync());
        Time.Advance(TimeSpan.FromTicks(10));
        var again = Assert.Single(await ClaimAsync());
        Assert.Equal(("一", 1), (Text(again.Message), again.Message.Attempts));
    }

    [PostgresFact]
    public async Task Fail_TheFailedEntryIsKept_AndNoLongerHoldsItsConversation()
    {
        await InsertAsync([Reply("g1", "一"), Reply("g1", "二")]);

        Assert.True(await Store.FailAsync((await ClaimAsync())[0], "rejected", CancellationToken.None));

        Assert.Equal(["二"], (await ClaimAsync()).Select(c => Text(c.Message)));
        Assert.Equal(["一"], Messages(await Store.FailedAsync(10, CancellationToken.None)).Select(Text));
    }

    [PostgresFact]
    public async Task Release_HandsBackWithoutAnAttempt_AndHoldsTheConversationUntilThen()
    {
        await InsertAsync([Reply("g1", "一"), Reply("g1", "二")]);
        var claim = Assert.Single(await ClaimAsync());

        Assert.True(await Store.ReleaseAsync(claim, Time.GetUtcNow().UtcDateTime.AddSeconds(30), CancellationToken.None)); // "Retry-After: 30"

        Assert.Empty(await ClaimAsync());
        Time.Advance(TimeSpan.FromSeconds(30));
        var again = Assert.Single(await ClaimAsync());
        Assert.Equal(("一", 0, (string?)null), (Text(again.Message), again.Message.Attempts, again.Message.LastError));
        Assert.False(await Store.CompleteAsync(claim, CancellationToken.None)); // the released claim is no longer a lease
        Assert.True(await Store.CompleteAsync(again, CancellationToken.None));
    }

    [PostgresFact]
    public async Task Complete_LeaseRanOutButNobodyTookIt_StillCompletes()
    {
        await InsertAsync([Reply("g1", "一")]);
        var claim = Assert.Single(await ClaimAsync());
        Time.Advance(Lease + TimeSpan.FromMinutes(5));

        Assert.True(await Store.CompleteAsync(claim, CancellationToken.None));

        Assert.Empty(await Store.AllAsync(CancellationToken.None));
    }

    [PostgresFact]
    public async Task Claim_OwnLeaseRanOut_ClaimsAgainAndTheOldClaimChangesNothing()
    {
        await InsertAsync([Reply("g1", "一")]);
        var old = Assert.Single(await ClaimAsync());
        Time.Advance(Lease);

        var fresh = Assert.Single(await ClaimAsync());

        Assert.Equal(old.Id, fresh.Id);
        Assert.False(await Store.RetryLaterAsync(old, "late", CancellationToken.None));
        Assert.False(await Store.FailAsync(old, "late", CancellationToken.None));
        Assert.False(await Store.CompleteAsync(old, CancellationToken.None));
        var entry = Assert.Single(await Store.PendingAsync(CancellationToken.None));
        Assert.Equal((0, "test", fresh.ClaimedUntil), (entry.Message.Attempts, entry.ClaimedBy, entry.ClaimedUntil));
    }

    [PostgresFact]
    public async Task RetryLater_LastAttempt_FailsTheEntryAndFreesItsConversation()
    {
        await InsertAsync([Reply("g1", "一"), Reply("g1", "二")]);
        for (var attempt = 1; attempt <= Options.MaxAttempts; attempt++)
        {
            Assert.True(await Store.RetryLaterAsync((await ClaimAsync())[0], $"attempt {attempt}", CancellationToken.None));
            Time.Advance(Options.MaxRetryDelay);
        }

        Assert.Equal(["二"], (await ClaimAsync()).Select(c => Text(c.Message)));
        var failed = Assert.Single(await Store.FailedAsync(10, CancellationToken.None));
        Assert.Equal((3, "attempt 3", (string?)null), (failed.Message.Attempts, failed.Message.LastError, failed.ClaimedBy));
    }

    [PostgresFact]
    public async Task Insert_LongConversationKey_IsStoredBoundedAndStillOneConversation()
    {
        var id = new string('长', 400);
        await InsertAsync([Reply(id, "一"), Reply(id, "二")]);

        var claim = Assert.Single(await ClaimAsync());

        Assert.Equal(StorageKeys.Bound($"{TestChannel.Name}/{id}"), claim.Message.ConversationKey);
        Assert.Equal(id, JsonSerializer.Deserialize<ConversationReference>(claim.Message.To, DialogJson.Options)!.ConversationId); // kept whole
        Assert.Equal("一", Text(claim.Message));
    }

    [PostgresFact]
    public async Task Insert_NotifiesListenersWhenItCommits_AndNotWhenItRollsBack()
    {
        await using var listener = new NpgsqlConnection(database.ConnectionString);
        await listener.OpenAsync();
        var payloads = new List<string>();
        listener.Notification += (_, e) => payloads.Add(e.Payload);
        await using (var listen = new NpgsqlCommand($"LISTEN {PostgresOutbox.NotifyChannel}", listener))
        {
            await listen.ExecuteNonQueryAsync();
        }

        await Assert.ThrowsAsync<InvalidOperationException>(() => InsertAsync([Reply("g1", "rolled back")], () => throw new InvalidOperationException("test")));
        await using (var marker = _source!.CreateCommand($"NOTIFY {PostgresOutbox.NotifyChannel}, 'marker'"))
        {
            await marker.ExecuteNonQueryAsync();
        }

        await InsertAsync([Reply("g1", "一"), Reply("g2", "二")]);
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(1)); // against a hang, not a measure
        while (payloads.Count < 2)
        {
            await listener.WaitAsync(guard.Token);
        }

        // Notifications arrive in commit order: had the rollback notified, it would have come before the marker.
        Assert.Equal(["marker", ""], payloads);
    }

    [PostgresFact]
    public async Task Listener_WakesWhenAnInsertCommits()
    {
        await using var listener = new PostgresOutboxListener(database.NewDataSource());
        Assert.True(await listener.WaitAsync(TimeSpan.Zero, CancellationToken.None)); // starts listening: claim once now

        await InsertAsync([Reply("g1", "一")]);

        Assert.True(await listener.WaitAsync(TimeSpan.FromMinutes(1), CancellationToken.None));
    }

    private Task<IReadOnlyList<OutboxClaim>> ClaimAsync(int limit = 100) => Store.ClaimAsync("test", limit, Lease, CancellationToken.None);

    // The conversation's head, claimed; the other heads the same claim took are handed back unchanged.
    private async Task<OutboxClaim> ClaimHeadAsync(string conversationKey)
    {
        OutboxClaim? head = null;
        foreach (var claim in await ClaimAsync())
        {
            if (claim.Message.ConversationKey == conversationKey)
            {
                head = claim;
            }
            else
            {
                Assert.True(await Store.ReleaseAsync(claim, claim.Message.DueAt, CancellationToken.None));
            }
        }

        return head ?? throw new InvalidOperationException($"{conversationKey}'s first entry is not claimable.");
    }

    private static List<OutboxMessage> Messages(IEnumerable<PostgresOutboxEntry> entries) => entries.Select(e => e.Message).ToList();
}
