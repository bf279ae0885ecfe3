using System.Collections.Concurrent;
using System.Text.Json;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Engine;
using CommunityBot.Notifications;
using CommunityBot.Storage.Postgres;
using CommunityBot.Tests.Harness;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>
/// <see cref="PostgresOutbox"/> on several instances sharing one database, each with its own <see cref="NpgsqlDataSource"/>
/// and one fake clock between them: no entry claimed twice at once, each conversation delivered one entry at a time and in
/// order whoever polls, a dead instance's claims delivered by another once their lease runs out (at least once, in order),
/// conversations claimed in parallel, and a late instance's outcome losing to the one that took its lease over.
/// </summary>
public sealed class PostgresOutboxCrossInstanceTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private const int Workers = 2; // per instance

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private readonly CancellationTokenSource _guard = new(TimeSpan.FromMinutes(2)); // against a hang, not a measure
    private NpgsqlDataSource _observer = null!;

    public async Task InitializeAsync()
    {
        if (PostgresTestServer.ConnectionString is null)
        {
            return;
        }

        _observer = database.NewDataSource();
        await using var command = _observer.CreateCommand("TRUNCATE outbox RESTART IDENTITY");
        await command.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync()
    {
        _guard.Dispose();
        return Task.CompletedTask;
    }

    [PostgresFact]
    public async Task TwoInstances_ClaimingAtOnce_NeverClaimTheSameEntry()
    {
        var (a, b) = (NewInstance("a"), NewInstance("b"));
        await InsertAsync(a, Enumerable.Range(0, 60).Select(i => Reply($"g{i}", $"{i}")).ToList());

        // Claims only, nothing completed: every claim is still leased while the others claim. Then all the leases run out
        // at once, and the same race takes every entry once again.
        for (var round = 0; round < 2; round++)
        {
            var claimed = new ConcurrentBag<(string Instance, long Id)>();
            // Each instance goes on only once the other has claimed too, so both take part in the race however the
            // machine schedules them (on a loaded machine one instance's workers could otherwise claim all 60 first).
            var firstClaim = new Dictionary<string, TaskCompletionSource>
            {
                ["a"] = new(TaskCreationOptions.RunContinuationsAsynchronously),
                ["b"] = new(TaskCreationOptions.RunContinuationsAsynchronously),
            };
            await RaceAsync(a, b, async instance =>
            {
                var claims = await instance.Outbox.ClaimAsync(instance.Name, 2, Lease, _guard.Token);
                foreach (var claim in claims)
                {
                    claimed.Add((instance.Name, claim.Id));
                }

                firstClaim[instance.Name].TrySetResult();
                await firstClaim[instance.Name == "a" ? "b" : "a"].Task.WaitAsync(_guard.Token);
                return claims.Count > 0;
            });

            Assert.Equal(Enumerable.Range(1, 60).Select(i => (long)i), claimed.Select(c => c.Id).Order());
            Assert.Equal(["a", "b"], claimed.Select(c => c.Instance).Distinct().Order());
            var stored = await a.Outbox.PendingAsync(_guard.Token);
            Assert.All(stored, e => Assert.Equal(claimed.Single(c => c.Id == e.Id).Instance, e.ClaimedBy));
            _time.Advance(Lease);
        }
    }

    [PostgresFact]
    public async Task TwoInstances_PollingTheSameConversations_DeliverEachOneEntryAtATimeInOrder()
    {
        var (a, b) = (NewInstance("a"), NewInstance("b"));
        const int PerConversation = 15;
        var conversations = new[] { "g1", "g2", "g3" };
        await InsertAsync(a, Enumerable.Range(0, PerConversation).SelectMany(i => conversations.Select(g => Reply(g, $"{i}"))).ToList());
        var delivered = conversations.ToDictionary(g => $"{TestChannel.Name}/{g}", _ => new ConcurrentQueue<(string Instance, string Text)>());
        var inFlight = conversations.ToDictionary(g => $"{TestChannel.Name}/{g}", _ => new StrongBox());
        var overlaps = 0;

        await RaceAsync(a, b, async instance =>
        {
            var claims = await instance.Outbox.ClaimAsync(instance.Name, 2, Lease, _guard.Token);
            foreach (var claim in claims)
            {
                var key = claim.Message.ConversationKey;
                if (Interlocked.Increment(ref inFlight[key].Value) > 1)
                {
                    Interlocked.Increment(ref overlaps);
                }

                delivered[key].Enqueue((instance.Name, Text(claim.Message))); // "sent"
                Interlocked.Decrement(ref inFlight[key].Value); // before the delete commits: the next claim may follow it
                Assert.True(await instance.Outbox.CompleteAsync(claim, _guard.Token));
            }

            return claims.Count > 0 || (await instance.Outbox.PendingAsync(_guard.Token)).Count > 0;
        });

        Assert.Equal(0, overlaps);
        Assert.All(delivered.Values, d => Assert.Equal(Enumerable.Range(0, PerConversation).Select(i => $"{i}"), d.Select(x => x.Text)));
        var by = delivered.Values.SelectMany(d => d).Select(d => d.Instance).ToHashSet();
        Assert.Equal(["a", "b"], by.Order()); // both instances delivered, in turns
        Assert.Empty(await a.Outbox.AllAsync(_guard.Token));
    }

    [PostgresFact]
    public async Task InstanceKilledBetweenClaimingAndDelivering_TheOtherDeliversAfterTheLease_InOrder()
    {
        var (a, b) = (NewInstance("a"), NewInstance("b"));
        await InsertAsync(a, [Reply("g1", "一"), Reply("g1", "二"), Reply("g2", "甲")]);
        Assert.Equal(["一", "甲"], (await a.Outbox.ClaimAsync("a", 10, Lease, _guard.Token)).Select(c => Text(c.Message)));
        await a.Source.DisposeAsync(); // killed: it never delivers nor completes, and its connections are gone

        Assert.Empty(await b.Outbox.ClaimAsync("b", 10, Lease, _guard.Token));
        _time.Advance(Lease - TimeSpan.FromTicks(10));
        Assert.Empty(await b.Outbox.ClaimAsync("b", 10, Lease, _guard.Token));
        _time.Advance(TimeSpan.FromTicks(10));

        var sent = await DeliverAllAsync(b);

        Assert.Equal(["一", "甲", "二"], sent); // both heads in one claim, then g1's next
        Assert.Empty(await b.Outbox.AllAsync(_guard.Token));
    }

    [PostgresFact]
    public async Task InstanceKilledAfterSendingBeforeCompleting_TheOtherSendsItAgain_AtLeastOnceAndInOrder()
    {
        var (a, b) = (NewInstance("a"), NewInstance("b"));
        await InsertAsync(a, [Reply("g1", "一"), Reply("g1", "二")]);
        var claim = Assert.Single(await a.Outbox.ClaimAsync("a", 10, Lease, _guard.Token));
        var sent = new List<string> { Text(claim.Message) }; // the channel took it; the delete never happened
        await a.Source.DisposeAsync();

        _time.Advance(Lease);
        sent.AddRange(await DeliverAllAsync(b));

        Assert.Equal(["一", "一", "二"], sent);
    }

    [PostgresFact]
    public async Task TwoInstances_DifferentConversations_AreClaimedInParallel()
    {
        var (a, b) = (NewInstance("a"), NewInstance("b"));
        await InsertAsync(a, [Reply("g1", "一"), Reply("g2", "甲"), Reply("g3", "子")]);

        var first = Assert.Single(await a.Outbox.ClaimAsync("a", 1, Lease, _guard.Token));
        var second = Assert.Single(await b.Outbox.ClaimAsync("b", 1, Lease, _guard.Token));

        Assert.Equal(("一", "甲"), (Text(first.Message), Text(second.Message)));
        Assert.Equal(["子"], (await a.Outbox.ClaimAsync("a", 10, Lease, _guard.Token)).Select(c => Text(c.Message)));
    }

    [PostgresFact]
    public async Task ConversationBeingClaimedElsewhere_IsSkippedNotWaitedFor()
    {
        var b = NewInstance("b");
        await InsertAsync(b, [Reply("g1", "一"), Reply("g2", "甲")]);
        // Stands in for instance a in the middle of claiming g1: the lock its claim's first statement takes.
        await using var connectionA = await _observer.OpenConnectionAsync(_guard.Token);
        await using var claimingA = await connectionA.BeginTransactionAsync(_guard.Token);
        await using (var lockG1 = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended('outbox ' || @key, 0))", connectionA, claimingA))
        {
            lockG1.Parameters.AddWithValue("key", $"{TestChannel.Name}/g1");
            await lockG1.ExecuteNonQueryAsync(_guard.Token);
        }

        Assert.Equal(["甲"], (await b.Outbox.ClaimAsync("b", 10, Lease, _guard.Token)).Select(c => Text(c.Message)));
        await claimingA.RollbackAsync(_guard.Token);
        Assert.Equal(["一"], (await b.Outbox.ClaimAsync("b", 10, Lease, _guard.Token)).Select(c => Text(c.Message)));
    }

    [PostgresFact]
    public async Task ClaimWhoseLeaseRanOut_CannotComplete_TheOtherInstancesDeliveryWins()
    {
        var (a, b) = (NewInstance("a"), NewInstance("b"));
        await InsertAsync(a, [Reply("g1", "一"), Reply("g1", "二")]);
        var late = Assert.Single(await a.Outbox.ClaimAsync("a", 10, Lease, _guard.Token));
        _time.Advance(Lease + TimeSpan.FromSeconds(1)); // a stalls past its lease
        var takenOver = Assert.Single(await b.Outbox.ClaimAsync("b", 10, Lease, _guard.Token));
        Assert.Equal(late.Id, takenOver.Id);

        Assert.False(await a.Outbox.CompleteAsync(late, _guard.Token));
        Assert.False(await a.Outbox.RetryLaterAsync(late, "late", _guard.Token));
        Assert.False(await a.Outbox.ReleaseAsync(late, _time.GetUtcNow().UtcDateTime, _guard.Token));
        Assert.False(await a.Outbox.FailAsync(late, "late", _guard.Token));
        var entry = (await a.Outbox.PendingAsync(_guard.Token))[0];
        Assert.Equal(("b", takenOver.ClaimedUntil, 0, OutboxStatus.Pending), (entry.ClaimedBy, entry.ClaimedUntil, entry.Message.Attempts, entry.Message.Status));
        Assert.Empty(await a.Outbox.ClaimAsync("a", 10, Lease, _guard.Token)); // g1 is b's now

        Assert.True(await b.Outbox.CompleteAsync(takenOver, _guard.Token));
        Assert.Equal(["二"], (await a.Outbox.ClaimAsync("a", 10, Lease, _guard.Token)).Select(c => Text(c.Message)));
    }

    [PostgresFact]
    public async Task EntryCommittedLateWithALowerId_WaitsForTheEntryInFlight()
    {
        var (a, b) = (NewInstance("a"), NewInstance("b"));
        // a's turn takes its id first but commits after b's, whose entry is then claimed and in flight.
        await using var connectionA = await a.Source.OpenConnectionAsync(_guard.Token);
        await using var turnA = await connectionA.BeginTransactionAsync(_guard.Token);
        await a.Outbox.InsertAsync([Reply("g1", "late, lower id")], turnA, _guard.Token);
        await InsertAsync(b, [Reply("g1", "first committed")]);
        var inFlight = Assert.Single(await b.Outbox.ClaimAsync("b", 10, Lease, _guard.Token));
        await turnA.CommitAsync(_guard.Token);

        Assert.Empty(await a.Outbox.ClaimAsync("a", 10, Lease, _guard.Token)); // its head is now the late entry, but g1 is in flight
        Assert.True(await b.Outbox.CompleteAsync(inFlight, _guard.Token));
        var next = Assert.Single(await a.Outbox.ClaimAsync("a", 10, Lease, _guard.Token));

        Assert.Equal("first committed", Text(inFlight.Message));
        Assert.Equal("late, lower id", Text(next.Message));
        Assert.True(next.Id < inFlight.Id);
    }

    // Every instance runs Workers loops of one step at a time, started together, until a step reports nothing left
    // (true: go on).
    private async Task RaceAsync(Instance a, Instance b, Func<Instance, Task<bool>> step)
    {
        var ready = 0;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loops = Enumerable.Range(0, 2 * Workers).Select(worker => Task.Run(async () =>
        {
            var instance = worker % 2 == 0 ? a : b;
            if (Interlocked.Increment(ref ready) == 2 * Workers)
            {
                start.SetResult();
            }

            await start.Task.WaitAsync(_guard.Token);
            while (await step(instance))
            {
                _guard.Token.ThrowIfCancellationRequested();
            }
        }));
        await Task.WhenAll(loops);
    }

    // Claims, "sends" and completes until nothing is claimable; returns the texts in the order sent.
    private async Task<List<string>> DeliverAllAsync(Instance instance)
    {
        var sent = new List<string>();
        while (await instance.Outbox.ClaimAsync(instance.Name, 10, Lease, _guard.Token) is { Count: > 0 } claims)
        {
            foreach (var claim in claims)
            {
                sent.Add(Text(claim.Message));
                Assert.True(await instance.Outbox.CompleteAsync(claim, _guard.Token));
            }
        }

        return sent;
    }

    private async Task InsertAsync(Instance instance, IReadOnlyList<OutboxMessage> messages)
    {
        await using var connection = await instance.Source.OpenConnectionAsync(_guard.Token);
        await using var transaction = await connection.BeginTransactionAsync(_guard.Token);
        await instance.Outbox.InsertAsync(messages, transaction, _guard.Token);
        await transaction.CommitAsync(_guard.Token);
    }

    // An "instance": its own data source (connection pool) and outbox over it, on the shared clock.
    private Instance NewInstance(string name)
    {
        var source = database.NewDataSource();
        return new Instance(name, source, new PostgresOutbox(source, _time, MsOptions.Create(new OutboxOptions())));
    }

    private OutboxMessage Reply(string conversationId, string text) => OutboxMessage.For(
        new ConversationReference { Channel = TestChannel.Name, ConversationId = conversationId, IsGroup = true },
        OutboundMessage.Plain(text),
        _time.GetUtcNow().UtcDateTime);

    private static string Text(OutboxMessage message) => JsonSerializer.Deserialize<OutboundMessage>(message.Message, DialogJson.Options)!.Text;

    private sealed record Instance(string Name, NpgsqlDataSource Source, PostgresOutbox Outbox);

    private sealed class StrongBox
    {
        public int Value;
    }
}
