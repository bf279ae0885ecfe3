using System.Security.Cryptography;
using CommunityBot.Storage;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommunityBot.Media;

/// <summary>
/// The records of re-hosted photos (LiteDB collection <c>media</c>) and their files under DATA_DIR/media, named by content
/// hash (the same photo sent twice is kept once). New records are written inside the ticket's own write
/// (<see cref="Insert"/>); <see cref="Wake"/> tells the fetcher once that write is committed.
/// </summary>
public sealed class MediaStore
{
    public const string CollectionName = "media";

    private readonly ILiteCollection<MediaItem> _items;
    private readonly LiteDbWriter _writer;
    private readonly WorkSignal _signal = new();

    public MediaStore(ILiteDatabase database, LiteDbWriter writer, string folder, ILogger<MediaStore>? logger = null)
    {
        _items = LiteDbCollections.Open<MediaItem>(database, CollectionName);
        LiteDbIndexes.Ensure(database, _items, logger ?? NullLogger<MediaStore>.Instance,
            ("Status", "$.Status"),
            ("TicketNumber", "$.TicketNumber"));
        _writer = writer;
        Folder = folder;
    }

    /// <summary>Where the files are kept.</summary>
    public string Folder { get; }

    /// <summary>A new pending record for <paramref name="source"/>, not yet written (see <see cref="Insert"/>).</summary>
    public static MediaItem Pending(
        string source, string channel, string? serviceUrl, string batch, MediaPurpose purpose, DateTimeOffset at, string? notifyOnFailure = null) => new()
    {
        Id = NewId(),
        Batch = batch,
        Source = source,
        Channel = channel,
        ServiceUrl = serviceUrl,
        Purpose = purpose,
        Status = MediaStatus.Pending,
        NotifyOnFailure = notifyOnFailure,
        CreatedAt = at.UtcDateTime,
        NextAttemptAt = at.UtcDateTime,
    };

    /// <summary>A fresh id: 128 random bits as 32 lower-case hex digits (the only shape <c>GET /media/{id}</c> accepts).</summary>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>True for an id <see cref="NewId"/> could have made.</summary>
    public static bool IsId(string? id) => id is { Length: 32 } && id.All(char.IsAsciiHexDigitLower);

    /// <summary>Writes the records; called on the writer thread inside the ticket's own write (no wake-up: call <see cref="Wake"/> after it).</summary>
    public void Insert(IEnumerable<MediaItem> items)
    {
        foreach (var item in items)
        {
            _items.Upsert(item);
        }
    }

    /// <summary>Tells the fetcher there are new photos.</summary>
    public void Wake() => _signal.Wake();

    /// <summary>Waits until <see cref="Wake"/> is called or <paramref name="timeout"/> passes on <paramref name="time"/>.</summary>
    public Task WaitForWorkAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, time, cancellationToken);

    public MediaItem? Find(string id) => IsId(id) ? _items.FindById(id) : null;

    /// <summary>Pending photos whose next attempt is due at <paramref name="now"/>, the oldest first.</summary>
    public IReadOnlyList<MediaItem> Due(DateTimeOffset now, int limit) =>
        _items.Find(m => m.Status == MediaStatus.Pending)
            .Where(m => Utc(m.NextAttemptAt) <= now.UtcDateTime)
            .OrderBy(m => Utc(m.CreatedAt))
            .Take(limit)
            .ToList();

    /// <summary>The photos recorded for a ticket, in the order they were recorded.</summary>
    public IReadOnlyList<MediaItem> OfTicket(string ticketNumber) =>
        _items.Find(m => m.TicketNumber == ticketNumber).OrderBy(m => Utc(m.CreatedAt)).ToList();

    /// <summary>The stored file of <paramref name="item"/>, or null when it has none (pending, failed, or the file is gone).</summary>
    public string? FileOf(MediaItem item) =>
        item is { Status: MediaStatus.Stored, Sha256: { Length: 64 } hash } && hash.All(char.IsAsciiHexDigitLower) && File.Exists(Path.Combine(Folder, hash))
            ? Path.Combine(Folder, hash)
            : null;

    /// <summary>
    /// Keeps the bytes under their hash (once, whoever else sent the same photo) and marks the record stored; when that
    /// settles the last photo of its batch, <paramref name="batchSettled"/> runs in the same write with the whole batch.
    /// </summary>
    public async Task<MediaItem> StoreAsync(
        MediaItem item, byte[] bytes, string contentType, DateTimeOffset at, Action<IReadOnlyList<MediaItem>>? batchSettled, CancellationToken cancellationToken)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        System.IO.Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, hash);
        if (!File.Exists(path))
        {
            var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            try
            {
                await File.WriteAllBytesAsync(temp, bytes, cancellationToken);
                File.Move(temp, path, overwrite: true);
            }
            finally
            {
                File.Delete(temp); // gone already after the move
            }
        }

        item.Status = MediaStatus.Stored;
        item.Sha256 = hash;
        item.Size = bytes.Length;
        item.ContentType = contentType;
        item.Failure = null;
        item.SettledAt = at.UtcDateTime;
        await SettleAsync(item, batchSettled);
        return item;
    }

    /// <summary>Counts a failed attempt and schedules the next at <paramref name="next"/>.</summary>
    public Task RetryLaterAsync(MediaItem item, string failure, DateTimeOffset next)
    {
        item.Status = MediaStatus.Pending;
        item.Failure = failure;
        item.NextAttemptAt = next.UtcDateTime;
        return _writer.WriteAsync(_ => _items.Update(item));
    }

    /// <summary>Gives the photo up as not kept; settles its batch like <see cref="StoreAsync"/>.</summary>
    public async Task<MediaItem> FailAsync(MediaItem item, string failure, DateTimeOffset at, Action<IReadOnlyList<MediaItem>>? batchSettled)
    {
        item.Status = MediaStatus.Failed;
        item.Failure = failure;
        item.SettledAt = at.UtcDateTime;
        await SettleAsync(item, batchSettled);
        return item;
    }

    // Writes run one after another on the writer thread, so exactly one write sees its batch complete.
    private Task SettleAsync(MediaItem item, Action<IReadOnlyList<MediaItem>>? batchSettled) => _writer.WriteAsync(_ =>
    {
        _items.Update(item);
        if (batchSettled is null)
        {
            return;
        }

        var batch = _items.Find(m => m.TicketNumber == item.TicketNumber)
            .Where(m => m.Batch == item.Batch)
            .OrderBy(m => Utc(m.CreatedAt))
            .ToList();
        if (batch.All(m => m.Status != MediaStatus.Pending))
        {
            batchSettled(batch);
        }
    });

    // LiteDB reads dates back as local time.
    private static DateTime Utc(DateTime time) => time.Kind == DateTimeKind.Utc ? time : time.ToUniversalTime();
}
