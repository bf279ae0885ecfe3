using CommunityBot.Media;
using CommunityBot.Tests.Harness;

namespace CommunityBot.Tests.Media;

/// <summary>
/// What every media store promises the fetcher and the photo links (<see cref="LiteDbMediaStoreTests"/> on LiteDB,
/// <see cref="Storage.Postgres.PostgresMediaStoreTests"/> on PostgreSQL): a photo's record read back as written, by id and
/// by ticket in recorded order; the pending photos due, oldest first, up to a limit; a stored photo's bytes kept under
/// their hash and read back; a retried photo pending until its next attempt; a batch settled by its last photo, once.
/// Each concrete class starts every test on an empty store.
/// </summary>
public abstract class MediaStoreContractTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 12, 4, 1, 0, 0, TimeSpan.Zero);

    /// <summary>Writes the records in a commit of their own (on LiteDB a writer work, on PostgreSQL a transaction).</summary>
    protected abstract Task InsertAsync(IReadOnlyList<MediaItem> items);

    protected abstract Task<MediaItem?> FindAsync(string id);

    protected abstract Task<IReadOnlyList<MediaItem>> OfTicketAsync(string ticketNumber);

    /// <summary>The pending photos due at <paramref name="now"/>, taken for fetching (on PostgreSQL: claimed).</summary>
    protected abstract Task<IReadOnlyList<MediaItem>> DueAsync(DateTimeOffset now, int limit);

    /// <summary>Stores a photo taken by <see cref="DueAsync"/>; the batch when this settled its last photo, else null.</summary>
    protected abstract Task<IReadOnlyList<MediaItem>?> StoreAsync(MediaItem item, byte[] bytes, string contentType, DateTimeOffset at);

    protected abstract Task RetryLaterAsync(MediaItem item, string failure, DateTimeOffset next);

    /// <summary>Gives up a photo taken by <see cref="DueAsync"/>; the batch when this settled its last photo, else null.</summary>
    protected abstract Task<IReadOnlyList<MediaItem>?> FailAsync(MediaItem item, string failure, DateTimeOffset at);

    /// <summary>The bytes kept for <paramref name="item"/>, or null when it has none.</summary>
    protected abstract Task<byte[]?> ContentAsync(MediaItem item);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [ContractFact]
    public async Task Insert_ThenFind_ReadsBackEveryField()
    {
        var item = Photo("WT20261204-0001", "batch-1", T0, source: "https://files.example.org/a.jpg");
        item.ServiceUrl = "https://smba.example.org/";
        item.Purpose = MediaPurpose.Closing;
        item.NotifyOnFailure = """{"channel":"wecom","conversationId":"p-w01"}""";

        await InsertAsync([item]);

        var stored = await FindAsync(item.Id);
        Assert.NotNull(stored);
        Assert.Equal(
            (item.Batch, item.Source, item.Channel, item.ServiceUrl, item.TicketNumber, item.Purpose, item.Status, item.NotifyOnFailure, item.Attempts),
            (stored.Batch, stored.Source, stored.Channel, stored.ServiceUrl, stored.TicketNumber, stored.Purpose, stored.Status, stored.NotifyOnFailure, stored.Attempts));
        Assert.Equal((T0.UtcDateTime, T0.UtcDateTime), (stored.CreatedAt.ToUniversalTime(), stored.NextAttemptAt.ToUniversalTime()));
        Assert.Null(stored.SettledAt);
        Assert.Null(await FindAsync(MediaStore.NewId()));
        Assert.Null(await FindAsync("not-an-id"));
    }

    [ContractFact]
    public async Task OfTicket_OnlyThatTicketsPhotos_InRecordedOrder()
    {
        var second = Photo("WT20261204-0001", "b", T0.AddMinutes(1));
        var first = Photo("WT20261204-0001", "b", T0);
        var other = Photo("WT20261204-0002", "c", T0);

        await InsertAsync([second, other, first]);

        Assert.Equal([first.Id, second.Id], (await OfTicketAsync("WT20261204-0001")).Select(m => m.Id));
        Assert.Equal([other.Id], (await OfTicketAsync("WT20261204-0002")).Select(m => m.Id));
        Assert.Empty(await OfTicketAsync("WT20261204-0003"));
    }

    [ContractFact]
    public async Task Due_OnlyPendingPhotosDueNow_OldestFirst()
    {
        var newer = Photo("WT20261204-0001", "b1", T0.AddMinutes(2));
        var older = Photo("WT20261204-0002", "b2", T0);
        var later = Photo("WT20261204-0003", "b3", T0.AddMinutes(1));
        later.NextAttemptAt = T0.AddHours(1).UtcDateTime;
        var settled = Photo("WT20261204-0004", "b4", T0.AddMinutes(-1));
        settled.Status = MediaStatus.Failed;

        await InsertAsync([newer, older, later, settled]);

        Assert.Equal([older.Id, newer.Id], (await DueAsync(T0.AddMinutes(5), 10)).Select(m => m.Id));
    }

    [ContractFact]
    public async Task Due_MoreThanTheLimit_TakesTheOldest()
    {
        var photos = Enumerable.Range(0, 5).Select(i => Photo("WT20261204-0001", "b", T0.AddSeconds(4 - i))).ToList();

        await InsertAsync(photos);

        Assert.Equal([photos[4].Id, photos[3].Id], (await DueAsync(T0.AddMinutes(1), 2)).Select(m => m.Id));
    }

    [ContractFact]
    public async Task Store_KeepsTheBytesUnderTheirHash_AndThePhotoIsNoLongerDue()
    {
        var photo = Photo("WT20261204-0001", "b1", T0);
        var sameAgain = Photo("WT20261204-0002", "b2", T0.AddSeconds(1));
        await InsertAsync([photo, sameAgain]);
        var due = await DueAsync(T0.AddSeconds(1), 10);
        Assert.Equal(2, due.Count);
        Assert.Null(await ContentAsync(due[0]));

        await StoreAsync(due[0], Png, "image/png", T0.AddSeconds(5));
        await StoreAsync(due[1], Png, "image/png", T0.AddSeconds(6));

        var stored = await FindAsync(photo.Id);
        Assert.NotNull(stored);
        Assert.Equal((MediaStatus.Stored, "image/png", (long)Png.Length, (string?)null), (stored.Status, stored.ContentType, stored.Size, stored.Failure));
        Assert.Equal(T0.AddSeconds(5).UtcDateTime, stored.SettledAt?.ToUniversalTime());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Png)), stored.Sha256);
        Assert.Equal(stored.Sha256, (await FindAsync(sameAgain.Id))?.Sha256);
        Assert.Equal(Png, await ContentAsync(stored));
        Assert.Equal(Png, await ContentAsync((await FindAsync(sameAgain.Id))!));
        Assert.Empty(await DueAsync(T0.AddDays(1), 10));
    }

    [ContractFact]
    public async Task RetryLater_KeepsThePhotoPending_UntilItsNextAttempt()
    {
        var photo = Photo("WT20261204-0001", "b1", T0);
        await InsertAsync([photo]);
        var taken = Assert.Single(await DueAsync(T0, 10));
        taken.Attempts++;

        await RetryLaterAsync(taken, "host unreachable", T0.AddSeconds(30));

        var stored = await FindAsync(photo.Id);
        Assert.Equal((MediaStatus.Pending, 1, "host unreachable"), (stored?.Status, stored?.Attempts, stored?.Failure));
        Assert.Empty(await DueAsync(T0.AddSeconds(29), 10));
        var again = Assert.Single(await DueAsync(T0.AddSeconds(30), 10));
        Assert.Equal((photo.Id, 1), (again.Id, again.Attempts));
    }

    [ContractFact]
    public async Task Settle_TheBatchsLastPhoto_SettlesTheBatchOnce_InRecordedOrder()
    {
        var photos = Enumerable.Range(0, 3).Select(i => Photo("WT20261204-0001", "batch-1", T0.AddSeconds(i))).ToList();
        var otherBatch = Photo("WT20261204-0001", "batch-2", T0.AddSeconds(3));
        await InsertAsync([.. photos, otherBatch]);
        var due = await DueAsync(T0.AddMinutes(1), 10);
        Assert.Equal(4, due.Count);

        Assert.Null(await StoreAsync(due[1], Png, "image/png", T0.AddMinutes(1)));
        Assert.Null(await FailAsync(due[0], "not an image", T0.AddMinutes(1)));
        var settled = await StoreAsync(due[2], Png, "image/png", T0.AddMinutes(2));

        Assert.NotNull(settled);
        Assert.Equal(photos.Select(p => p.Id), settled.Select(m => m.Id));
        Assert.Equal([MediaStatus.Failed, MediaStatus.Stored, MediaStatus.Stored], settled.Select(m => m.Status));
        Assert.Equal("not an image", (await FindAsync(photos[0].Id))?.Failure);
        // The other batch of the same ticket is settled on its own.
        var last = await FailAsync(due[3], "refused", T0.AddMinutes(3));
        Assert.Equal([otherBatch.Id], last?.Select(m => m.Id));
    }

    protected static MediaItem Photo(string ticketNumber, string batch, DateTimeOffset at, string? source = null)
    {
        var item = MediaStore.Pending(source ?? "https://files.example.org/" + Guid.NewGuid().ToString("N") + ".png", "test", null, batch, MediaPurpose.Report, at);
        item.TicketNumber = ticketNumber;
        return item;
    }

    /// <summary>A PNG's signature and a little more: bytes the stores keep as they are.</summary>
    protected static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 1, 2, 3];
}
