using CommunityBot.Media;
using CommunityBot.Storage.Postgres;
using Npgsql;

namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>
/// <see cref="PostgresMediaStore"/> on several instances sharing one database, each with its own data source: a pending photo
/// is fetched by one instance at a time, one whose instance dies mid-fetch is taken by another after the lease (and the
/// dead one's late outcome changes nothing), a batch whose last two photos settle on two instances at once is reported
/// complete once, and a photo fetched by one instance is served by another.
/// </summary>
public sealed class PostgresMediaCrossInstanceTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 1, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 9, 8, 7];

    private readonly CancellationTokenSource _guard = new(TimeSpan.FromMinutes(2)); // against a hang, not a measure
    private NpgsqlDataSource _observer = null!;

    public async Task InitializeAsync()
    {
        if (PostgresTestServer.ConnectionString is null)
        {
            return;
        }

        _observer = database.NewDataSource();
        await using var command = _observer.CreateCommand("TRUNCATE media, media_files");
        await command.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync()
    {
        _guard.Dispose();
        return Task.CompletedTask;
    }

    [PostgresFact]
    public async Task Claim_TwoInstancesAtOnce_EachPhotoTakenByOne()
    {
        var (a, b) = (NewInstance(), NewInstance());
        var photos = Enumerable.Range(0, 24).Select(i => Photo("b" + (i % 6), T0.AddSeconds(i))).ToList();
        await InsertAsync(a, photos);

        var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() =>
            (i % 2 == 0 ? a : b).Media.ClaimDueAsync("instance-" + i, T0.AddMinutes(1), 5, Lease, _guard.Token))));

        var taken = claims.SelectMany(c => c).Select(c => c.Item.Id).ToList();
        Assert.Equal(taken.Count, taken.Distinct().Count());
        Assert.Equal(photos.Select(p => p.Id).Order(), taken.Order());
        // Leased, so a later look by either instance takes none of them again until the leases run out.
        Assert.Empty(await b.Media.ClaimDueAsync("instance-late", T0.AddMinutes(1) + Lease - TimeSpan.FromSeconds(1), 30, Lease, _guard.Token));
    }

    [PostgresFact]
    public async Task Claim_InstanceDiesMidFetch_AnotherTakesThePhotoAfterTheLease_AndTheLateOutcomeChangesNothing()
    {
        var (a, b) = (NewInstance(), NewInstance());
        var photo = Photo("batch-1", T0);
        await InsertAsync(a, [photo]);
        var dead = Assert.Single(await a.Media.ClaimDueAsync("a", T0, 10, Lease, _guard.Token));

        Assert.Empty(await b.Media.ClaimDueAsync("b", T0 + Lease - TimeSpan.FromSeconds(1), 10, Lease, _guard.Token));
        var taken = Assert.Single(await b.Media.ClaimDueAsync("b", T0 + Lease, 10, Lease, _guard.Token));
        Assert.Equal(photo.Id, taken.Item.Id);

        // The first instance comes back late with its outcome: its lease is no longer the photo's.
        Assert.False(await a.Media.RetryLaterAsync(dead, "timed out", T0.AddHours(1), _guard.Token));
        Assert.Null(await SettleAsync(a, tx => a.Media.StoreAsync(dead, [0x47, 0x49, 0x46, 0x38], "image/gif", T0 + Lease, tx, _guard.Token)));
        Assert.Null(await SettleAsync(a, tx => a.Media.FailAsync(dead, "refused", T0 + Lease, tx, _guard.Token)));
        Assert.Equal(MediaStatus.Pending, (await b.Media.FindAsync(photo.Id, _guard.Token))?.Status);

        var settled = await SettleAsync(b, tx => b.Media.StoreAsync(taken, Png, "image/png", T0 + Lease, tx, _guard.Token));
        Assert.Equal([photo.Id], settled?.Batch?.Select(m => m.Id));
        Assert.Equal("image/png", (await a.Media.FindAsync(photo.Id, _guard.Token))?.ContentType);
    }

    [PostgresFact]
    public async Task Settle_BatchsLastTwoPhotosOnTwoInstancesAtOnce_TheSecondWaits_AndSeesTheBatchComplete()
    {
        var (a, b) = (NewInstance(), NewInstance());
        var (first, second) = (Photo("batch-1", T0), Photo("batch-1", T0.AddSeconds(1)));
        await InsertAsync(a, [first, second]);
        var claimA = Assert.Single(await a.Media.ClaimDueAsync("a", T0.AddMinutes(1), 1, Lease, _guard.Token));
        var claimB = Assert.Single(await b.Media.ClaimDueAsync("b", T0.AddMinutes(1), 1, Lease, _guard.Token));

        await using var aConnection = await a.Source.OpenConnectionAsync(_guard.Token);
        await using var aTransaction = await aConnection.BeginTransactionAsync(_guard.Token);
        var aSettled = await a.Media.StoreAsync(claimA, Png, "image/png", T0.AddSeconds(5), aTransaction, _guard.Token);
        Assert.NotNull(aSettled);
        Assert.Null(aSettled.Batch); // the other photo is still pending as far as this transaction sees

        await using var bConnection = await b.Source.OpenConnectionAsync(_guard.Token);
        await using var bTransaction = await bConnection.BeginTransactionAsync(_guard.Token);
        var bSettling = b.Media.FailAsync(claimB, "refused", T0.AddSeconds(6), bTransaction, _guard.Token);
        await PostgresBlocking.WaitUntilBlockedAsync(_observer, bConnection.ProcessID, aConnection.ProcessID, bSettling, _guard.Token);
        await aTransaction.CommitAsync(_guard.Token);

        var bSettled = await bSettling;
        await bTransaction.CommitAsync(_guard.Token);
        Assert.Equal([first.Id, second.Id], bSettled?.Batch?.Select(m => m.Id));
        Assert.Equal([MediaStatus.Stored, MediaStatus.Failed], bSettled?.Batch?.Select(m => m.Status));
    }

    [PostgresFact]
    public async Task Content_FetchedByOneInstance_IsServedByTheOther()
    {
        var (a, b) = (NewInstance(), NewInstance());
        var photo = Photo("batch-1", T0);
        await InsertAsync(a, [photo]);
        var claim = Assert.Single(await a.Media.ClaimDueAsync("a", T0, 10, Lease, _guard.Token));
        await SettleAsync(a, tx => a.Media.StoreAsync(claim, Png, "image/png", T0, tx, _guard.Token));

        var seen = await b.Media.FindAsync(photo.Id, _guard.Token);

        Assert.NotNull(seen);
        Assert.Equal(Png, await b.Media.ContentOfAsync(seen, _guard.Token));
    }

    private Instance NewInstance()
    {
        var source = database.NewDataSource();
        return new Instance(source, new PostgresMediaStore(source));
    }

    private async Task InsertAsync(Instance instance, IReadOnlyList<MediaItem> items)
    {
        await using var connection = await instance.Source.OpenConnectionAsync(_guard.Token);
        await using var transaction = await connection.BeginTransactionAsync(_guard.Token);
        await instance.Media.InsertAsync(items, transaction, _guard.Token);
        await transaction.CommitAsync(_guard.Token);
    }

    // Settles in a transaction of its own, committed when the settle wrote anything.
    private async Task<MediaSettlement?> SettleAsync(Instance instance, Func<NpgsqlTransaction, Task<MediaSettlement?>> settle)
    {
        await using var connection = await instance.Source.OpenConnectionAsync(_guard.Token);
        await using var transaction = await connection.BeginTransactionAsync(_guard.Token);
        var settlement = await settle(transaction);
        if (settlement is not null)
        {
            await transaction.CommitAsync(_guard.Token);
        }

        return settlement;
    }

    private static MediaItem Photo(string batch, DateTimeOffset at)
    {
        var item = MediaStore.Pending("https://files.example.org/" + Guid.NewGuid().ToString("N") + ".png", "test", null, batch, MediaPurpose.Report, at);
        item.TicketNumber = "WT20261204-0001";
        return item;
    }

    /// <summary>One instance: its own pool and its own store.</summary>
    private sealed record Instance(NpgsqlDataSource Source, PostgresMediaStore Media);
}
