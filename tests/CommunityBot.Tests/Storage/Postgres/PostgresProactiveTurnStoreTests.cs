using System.Collections.Concurrent;
using CommunityBot.Conversation;
using CommunityBot.Storage.Postgres;
using CommunityBot.Tests.Conversation;
using LiteDB;
using Npgsql;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>
/// The proactive turn store contract (<see cref="ProactiveTurnStoreContractTests"/>) on <see cref="PostgresProactiveTurnStore"/>,
/// the class's throw-away database emptied before each test: inserts commit in a transaction of their own, and an outcome
/// claims the resident's request first (handing back the other heads that claim took). Then what only the claims promise,
/// with two instances (each its own data source and store, one fake clock): no request claimed twice while leased, one
/// request per resident at a time, an expired lease taken over and the late instance's outcomes refused, and an insert
/// that rolls back leaving nothing and notifying nothing. And the runner's side of it (<see cref="PostgresProactiveTurnQueue"/>):
/// a request settled in its turn's transaction only, and not once another instance has taken it over.
/// </summary>
[PostgresTests]
public sealed class PostgresProactiveTurnStoreTests(PostgresDatabase database) : ProactiveTurnStoreContractTests, IClassFixture<PostgresDatabase>
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    private readonly CancellationTokenSource _guard = new(TimeSpan.FromMinutes(2)); // against a hang, not a measure
    private NpgsqlDataSource? _source;
    private PostgresProactiveTurnStore? _turns;

    private PostgresProactiveTurnStore Store => _turns!;

    public override async Task InitializeAsync()
    {
        if (PostgresTestServer.ConnectionString is null)
        {
            return;
        }

        _source = database.NewDataSource();
        _turns = NewStore(_source);
        await using var command = _source.CreateCommand("TRUNCATE proactive_turns RESTART IDENTITY");
        await command.ExecuteNonQueryAsync();
    }

    public override Task DisposeAsync()
    {
        _guard.Dispose();
        return Task.CompletedTask;
    }

    protected override Task InsertAsync(IReadOnlyList<ProactiveTurn> turns, Action? alsoWrite = null) => InsertAsync(_source!, turns, alsoWrite);

    protected override async Task<IReadOnlyList<ProactiveTurn>> PendingAsync() =>
        (await Store.PendingAsync(CancellationToken.None)).Select(e => e.Turn).ToList();

    protected override async Task<IReadOnlyList<ProactiveTurn>> AllAsync() =>
        (await Store.AllAsync(CancellationToken.None)).Select(e => e.Turn).ToList();

    protected override async Task DeleteAsync(ProactiveTurn turn)
    {
        var claim = await ClaimAsync(turn);
        await using var connection = await _source!.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        Assert.True(await Store.DeleteAsync(claim, transaction, CancellationToken.None));
        await transaction.CommitAsync();
    }

    protected override async Task FailedAttemptAsync(ProactiveTurn turn, string error) =>
        Assert.True(await Store.MarkFailedAttemptAsync(await ClaimAsync(turn), error, CancellationToken.None));

    protected override Task<int> DeleteFailedBeforeAsync(DateTimeOffset cutoff) => Store.DeleteFailedBeforeAsync(cutoff, CancellationToken.None);

    [PostgresFact]
    public async Task Claim_TwoInstancesAtOnce_EachRequestOnce_OnlyEachResidentsFirst()
    {
        var (a, b) = (Store, NewStore(database.NewDataSource()));
        // 30 residents with two requests each: only the first of each is claimable while it is leased.
        var residents = Enumerable.Range(0, 30).Select(i => $"r{i}").ToList();
        await InsertAsync([.. residents.Select(r => Request(r)), .. residents.Select(r => Request(r))]);
        var firsts = (await PendingAsync()).Take(30).Select(t => t.Id.ToString()).ToList();
        var claimed = new ConcurrentBag<(string Instance, string Id)>();

        await Task.WhenAll(new[] { ("a", a), ("b", b) }.Select(instance => Task.Run(async () =>
        {
            // Small claims until one finds nothing: then every first is leased (nothing else ever becomes claimable here).
            while (await instance.Item2.ClaimAsync(instance.Item1, 2, Lease, _guard.Token) is { Count: > 0 } claims)
            {
                foreach (var claim in claims)
                {
                    claimed.Add((instance.Item1, claim.Turn.Id.ToString()));
                }
            }
        })));

        Assert.Equal(firsts.Order(StringComparer.Ordinal), claimed.Select(c => c.Id).Order(StringComparer.Ordinal)); // each once, no second
        var stored = await a.PendingAsync(_guard.Token);
        Assert.All(stored.Take(30), e => Assert.Equal(claimed.Single(c => c.Id == e.Turn.Id.ToString()).Instance, e.ClaimedBy));
        Assert.All(stored.Skip(30), e => Assert.Null(e.ClaimedBy));
        Assert.Empty(await a.ClaimAsync("a", 100, Lease, _guard.Token));
        Assert.Empty(await b.ClaimAsync("b", 100, Lease, _guard.Token));
    }

    [PostgresFact]
    public async Task Claim_AResidentsNextRequest_WaitsUntilTheFirstIsDeleted_OrBackedOff()
    {
        var b = NewStore(database.NewDataSource());
        var (first, other, next) = (Request("alice"), Request("bob"), Request("alice"));
        await InsertAsync([first, other, next]);

        var byA = await Store.ClaimAsync("a", 10, Lease, _guard.Token);
        Assert.Equal([first.Id, other.Id], byA.Select(c => c.Turn.Id));
        Assert.Empty(await b.ClaimAsync("b", 10, Lease, _guard.Token)); // alice's next waits for her first

        await using (var connection = await _source!.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            Assert.True(await Store.DeleteAsync(byA[0], transaction, _guard.Token));
            // Until the turn commits, her first is still there and her next still waits.
            Assert.Empty(await b.ClaimAsync("b", 10, Lease, _guard.Token));
            await transaction.CommitAsync();
        }

        var byB = Assert.Single(await b.ClaimAsync("b", 10, Lease, _guard.Token));
        Assert.Equal(next.Id, byB.Turn.Id);
        // Backed off, it is not claimable until its retry is due; then by either instance.
        Assert.True(await b.MarkFailedAttemptAsync(byB, "failed (test)", _guard.Token));
        Assert.Empty(await Store.ClaimAsync("a", 10, Lease, _guard.Token));
        Time.Advance(Options.FirstRetryDelay);
        Assert.Equal(next.Id, Assert.Single(await Store.ClaimAsync("a", 10, Lease, _guard.Token)).Turn.Id);
    }

    [PostgresFact]
    public async Task Claim_LeaseRunsOut_AnotherInstanceTakesItOver_AndTheLateOnesOutcomesAreRefused()
    {
        var b = NewStore(database.NewDataSource());
        var turn = Request("alice");
        await InsertAsync([turn]);
        var late = Assert.Single(await Store.ClaimAsync("a", 10, Lease, _guard.Token));
        // "a" stalls (or dies) mid-turn; while its lease holds, no one else runs the request.
        Time.Advance(Lease - TimeSpan.FromSeconds(1));
        Assert.Empty(await b.ClaimAsync("b", 10, Lease, _guard.Token));

        Time.Advance(TimeSpan.FromSeconds(1));
        var taken = Assert.Single(await b.ClaimAsync("b", 10, Lease, _guard.Token));

        Assert.Equal(turn.Id, taken.Turn.Id);
        await using (var connection = await _source!.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            Assert.False(await Store.DeleteAsync(late, transaction, _guard.Token));
            await transaction.CommitAsync();
        }

        Assert.False(await Store.DeleteAsync(late, _guard.Token));
        Assert.False(await Store.MarkFailedAttemptAsync(late, "late (test)", _guard.Token));
        Assert.False(await Store.ReleaseAsync(late, _guard.Token));
        var stored = Assert.Single(await b.PendingAsync(_guard.Token));
        Assert.Equal(("b", 0), (stored.ClaimedBy, stored.Turn.Attempts));

        // The instance that took it over completes it in its turn's commit.
        await using (var connection = await _source.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            Assert.True(await b.DeleteAsync(taken, transaction, _guard.Token));
            await transaction.CommitAsync();
        }

        Assert.Empty(await Store.AllAsync(_guard.Token));
    }

    [PostgresFact]
    public async Task QueueJob_SettlesInTheTurnsTransaction_KeptOnlyWhenItCommits_RefusedOnceTakenOver()
    {
        var queue = NewQueue("a");
        var turn = Request("alice");
        await InsertAsync([turn]);
        var job = Assert.Single(await queue.TakeDueAsync(new HashSet<ObjectId>(), _guard.Token));
        Assert.Equal(turn.Id, job.Turn.Id);

        // The turn's transaction rolls back: the request is still there, still a's.
        await using (var connection = await _source!.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await job.InPostgresAsync(transaction, _guard.Token);
            await transaction.RollbackAsync();
        }

        Assert.Equal("a", Assert.Single(await Store.PendingAsync(_guard.Token)).ClaimedBy);

        // Its lease runs out and b takes the request over: a's turn can no longer settle it, and deletes nothing.
        Time.Advance(Options.Lease);
        Assert.Single(await NewStore(database.NewDataSource()).ClaimAsync("b", 10, Lease, _guard.Token));
        await using (var connection = await _source.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await Assert.ThrowsAsync<ProactiveTurnTakenOverException>(() => job.InPostgresAsync(transaction, _guard.Token));
        }

        Assert.Equal("b", Assert.Single(await Store.PendingAsync(_guard.Token)).ClaimedBy);
        Assert.False(await job.MarkFailedAttemptAsync("late (test)", _guard.Token));
        Assert.Equal(0, Assert.Single(await Store.PendingAsync(_guard.Token)).Turn.Attempts);
    }

    [PostgresFact]
    public async Task QueueTakeDue_ARequestTriedInThisRound_IsHandedBackForAnotherAtOnce()
    {
        var (turn, other) = (Request("alice"), Request("bob"));
        await InsertAsync([turn, other]);

        var jobs = await NewQueue("a").TakeDueAsync(new HashSet<ObjectId> { turn.Id }, _guard.Token);

        Assert.Equal([other.Id], jobs.Select(j => j.Turn.Id));
        Assert.Equal(turn.Id, Assert.Single(await NewStore(database.NewDataSource()).ClaimAsync("b", 10, Lease, _guard.Token)).Turn.Id);
    }

    [PostgresFact]
    public async Task QueueUntilNextDue_IsWhenTheSoonestBackedOffHeadIsDue_NullWhenNoneWaits()
    {
        var queue = NewQueue("a");
        await InsertAsync([Request("alice"), Request("bob"), Request("alice")]);
        var jobs = await queue.TakeDueAsync(new HashSet<ObjectId>(), _guard.Token);
        Assert.Null(await queue.UntilNextDueAsync(_guard.Token));

        Assert.True(await jobs[0].MarkFailedAttemptAsync("failed (test)", _guard.Token));
        Time.Advance(TimeSpan.FromSeconds(1));

        // Alice's first waits out its back-off (her next behind it); Bob's is due now.
        Assert.Equal(Options.FirstRetryDelay - TimeSpan.FromSeconds(1), await queue.UntilNextDueAsync(_guard.Token));
    }

    [PostgresFact]
    public async Task Release_HandsTheRequestBack_ToBeClaimedByAnotherAtOnce()
    {
        var b = NewStore(database.NewDataSource());
        var turn = Request("alice");
        await InsertAsync([turn]);
        var claim = Assert.Single(await Store.ClaimAsync("a", 10, Lease, _guard.Token));

        Assert.True(await Store.ReleaseAsync(claim, _guard.Token));

        var taken = Assert.Single(await b.ClaimAsync("b", 10, Lease, _guard.Token));
        Assert.Equal((turn.Id, 0), (taken.Turn.Id, taken.Turn.Attempts));
    }

    [PostgresFact]
    public async Task Insert_RolledBack_LeavesNothing_AndNotifiesNothing_ACommittedOneNotifies()
    {
        await using var listener = new NpgsqlConnection(database.ConnectionString);
        await listener.OpenAsync();
        var payloads = new List<string>();
        listener.Notification += (_, e) => payloads.Add(e.Payload);
        await using (var listen = new NpgsqlCommand($"LISTEN {PostgresProactiveTurnStore.NotifyChannel}", listener))
        {
            await listen.ExecuteNonQueryAsync();
        }

        await Assert.ThrowsAsync<InvalidOperationException>(() => InsertAsync([Request("alice")], () => throw new InvalidOperationException("test")));
        Assert.Empty(await Store.AllAsync(_guard.Token));
        Assert.Empty(await Store.ClaimAsync("a", 10, Lease, _guard.Token));
        await using (var marker = _source!.CreateCommand($"NOTIFY {PostgresProactiveTurnStore.NotifyChannel}, 'marker'"))
        {
            await marker.ExecuteNonQueryAsync();
        }

        await InsertAsync([Request("alice"), Request("bob")]);
        while (payloads.Count < 2)
        {
            await listener.WaitAsync(_guard.Token);
        }

        // Notifications arrive in commit order: had the rollback notified, it would have come before the marker.
        Assert.Equal(["marker", ""], payloads);
    }

    private PostgresProactiveTurnStore NewStore(NpgsqlDataSource source) => new(source, Time, MsOptions.Create(Options));

    private PostgresProactiveTurnQueue NewQueue(string instanceId) =>
        new(Store, new PostgresProcessedMessageLog(_source!), Time, MsOptions.Create(Options), instanceId);

    private async Task InsertAsync(NpgsqlDataSource source, IReadOnlyList<ProactiveTurn> turns, Action? alsoWrite)
    {
        await using var connection = await source.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await NewStore(source).InsertAsync(turns, transaction, CancellationToken.None);
        alsoWrite?.Invoke();
        await transaction.CommitAsync();
    }

    // The request, claimed (it must be its resident's first pending one, due); the other heads the claim took are handed back.
    private async Task<ProactiveTurnClaim> ClaimAsync(ProactiveTurn turn)
    {
        ProactiveTurnClaim? mine = null;
        foreach (var claim in await Store.ClaimAsync("test", 100, Lease, CancellationToken.None))
        {
            if (claim.Turn.Id == turn.Id)
            {
                mine = claim;
            }
            else
            {
                Assert.True(await Store.ReleaseAsync(claim, CancellationToken.None));
            }
        }

        return mine ?? throw new InvalidOperationException($"Request {turn.Id} is not claimable.");
    }
}
