using CommunityBot.Broadcasts;
using CommunityBot.Notifications;
using CommunityBot.Storage.Postgres;
using CommunityBot.Tests.Broadcasts;
using Npgsql;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>
/// The broadcast store contract (<see cref="BroadcastStoreContractTests"/>) on <see cref="PostgresBroadcastStore"/> and
/// <see cref="PostgresOutbox"/>, the class's throw-away database emptied before each test; each send commits in a
/// transaction of its own. Then what the caller's transaction promises: a send rolled back leaves neither the broadcast nor
/// its entries, and the same form sent again afterwards is new.
/// </summary>
[PostgresTests]
public sealed class PostgresBroadcastStoreTests(PostgresDatabase database) : BroadcastStoreContractTests, IClassFixture<PostgresDatabase>
{
    private NpgsqlDataSource? _source;
    private PostgresOutbox? _outbox;
    private PostgresBroadcastStore? _broadcasts;

    public override async Task InitializeAsync()
    {
        if (PostgresTestServer.ConnectionString is null)
        {
            return;
        }

        _source = database.NewDataSource();
        _outbox = new PostgresOutbox(_source, Time, MsOptions.Create(new OutboxOptions()));
        _broadcasts = new PostgresBroadcastStore(_source, _outbox, Time);
        await using var command = _source.CreateCommand("TRUNCATE broadcasts, outbox RESTART IDENTITY");
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task<(Broadcast Broadcast, bool IsNew)> SendAsync(string author, string text, IReadOnlyList<ChatGroup> groups, string requestId)
    {
        await using var connection = await _source!.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var sent = await _broadcasts!.SendAsync(author, text, groups, requestId, transaction, CancellationToken.None);
        await transaction.CommitAsync();
        return sent;
    }

    protected override Task<IReadOnlyList<Broadcast>> RecentAsync(int limit) => _broadcasts!.RecentAsync(limit, CancellationToken.None);

    protected override Task<IReadOnlyDictionary<string, BroadcastProgress>> ProgressAsync(IReadOnlyList<Broadcast> broadcasts, IReadOnlySet<string>? onlyGroups) =>
        _broadcasts!.ProgressAsync(broadcasts, onlyGroups, CancellationToken.None);

    protected override async Task<IReadOnlyList<OutboxMessage>> OutboxAsync() =>
        (await _outbox!.AllAsync(CancellationToken.None)).Select(e => e.Message).ToList();

    protected override async Task DeliveredAsync(string groupKey) =>
        Assert.True(await _outbox!.CompleteAsync(await ClaimHeadAsync(groupKey), CancellationToken.None));

    protected override async Task UndeliverableAsync(string groupKey) =>
        Assert.True(await _outbox!.FailAsync(await ClaimHeadAsync(groupKey), "rejected", CancellationToken.None));

    [PostgresFact]
    public async Task Send_RolledBack_LeavesNoBroadcastNorEntries_AndTheFormAgainIsNew()
    {
        await using (var connection = await _source!.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            Assert.True((await _broadcasts!.SendAsync("boss", "通知", [Group("g1")], "R1", transaction, CancellationToken.None)).IsNew);
            await transaction.RollbackAsync();
        }

        Assert.Empty(await RecentAsync(10));
        Assert.Empty(await OutboxAsync());
        Assert.True((await SendAsync("boss", "通知", [Group("g1")], "R1")).IsNew);
        Assert.Single(await OutboxAsync());
    }

    // Claims the group's head, handing back the other heads that claim took.
    private async Task<OutboxClaim> ClaimHeadAsync(string groupKey)
    {
        OutboxClaim? head = null;
        foreach (var claim in await _outbox!.ClaimAsync("test", 100, TimeSpan.FromMinutes(1), CancellationToken.None))
        {
            if (claim.Message.ConversationKey == groupKey)
            {
                head = claim;
            }
            else
            {
                Assert.True(await _outbox.ReleaseAsync(claim, claim.Message.DueAt, CancellationToken.None));
            }
        }

        return head ?? throw new InvalidOperationException($"No claimable entry for {groupKey}.");
    }
}
