using CommunityBot.Storage;
using LiteDB;

namespace CommunityBot.Media;

/// <summary>The records of re-hosted photos (LiteDB) and their files under DATA_DIR/media, named by content hash.</summary>
public sealed class MediaStore
{
    public const string CollectionName = "media";

    private readonly ILiteCollection<MediaItem> _items;
    private readonly LiteDbWriter _writer;

    public MediaStore(ILiteDatabase database, LiteDbWriter writer, string folder)
    {
        _items = database.GetCollection<MediaItem>(CollectionName);
        _items.EnsureIndex(m => m.Status);
        _items.EnsureIndex(m => m.TicketNumber);
        _writer = writer;
        Folder = folder;
    }

    /// <summary>Where the files are kept.</summary>
    public string Folder { get; }

    /// <summary>A new pending record for <paramref name="source"/>, not yet written (see <see cref="Insert"/>).</summary>
    public static MediaItem Pending(string source, string channel, string? serviceUrl, string ticketNumber, MediaPurpose purpose, DateTimeOffset at, string? notifyOnFailure = null) => new()
    {
        Id = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)),
        Source = source,
        Channel = channel,
        ServiceUrl = serviceUrl,
        TicketNumber = ticketNumber,
        Purpose = purpose,
        Status = MediaStatus.Pending,
        NotifyOnFailure = notifyOnFailure,
        CreatedAt = at.UtcDateTime,
    };

    /// <summary>Writes the records; called on the writer thread inside the ticket's own write.</summary>
    public void Insert(IEnumerable<MediaItem> items)
    {
        foreach (var item in items)
        {
            _items.Upsert(item);
        }
    }

    public MediaItem? Find(string id) => _items.FindById(id);

    public IReadOnlyList<MediaItem> PendingItems(int limit) => _items.Find(m => m.Status == MediaStatus.Pending, limit: limit).ToList();

    public IReadOnlyList<MediaItem> OfTicket(string ticketNumber) => _items.Find(m => m.TicketNumber == ticketNumber).ToList();

    /// <summary>The stored file of <paramref name="item"/>, or null when it has none (pending, failed, or the file is gone).</summary>
    public string? FileOf(MediaItem item) =>
        item is { Status: MediaStatus.Stored, Sha256: { Length: 64 } hash } && File.Exists(Path.Combine(Folder, hash)) ? Path.Combine(Folder, hash) : null;

    /// <summary>Keeps the bytes under their hash (once, whoever else sent the same photo) and marks the record stored.</summary>
    public async Task<MediaItem> StoreAsync(MediaItem item, byte[] bytes, string contentType, CancellationToken cancellationToken)
    {
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        System.IO.Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, hash);
        if (!File.Exists(path))
        {
            var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            await File.WriteAllBytesAsync(temp, bytes, cancellationToken);
            File.Move(temp, path, overwrite: true);
        }

        item.Status = MediaStatus.Stored;
        item.Sha256 = hash;
        item.Size = bytes.Length;
        item.ContentType = contentType;
        await _writer.WriteAsync(_ => _items.Update(item));
        return item;
    }

    public async Task<MediaItem> FailAsync(MediaItem item, string failure)
    {
        item.Status = MediaStatus.Failed;
        item.Failure = failure;
        await _writer.WriteAsync(_ => _items.Update(item));
        return item;
    }
}
