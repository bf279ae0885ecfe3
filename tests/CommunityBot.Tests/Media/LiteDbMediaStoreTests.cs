using CommunityBot.Media;
using CommunityBot.Storage;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommunityBot.Tests.Media;

/// <summary>The media store contract (<see cref="MediaStoreContractTests"/>) on LiteDB's <see cref="MediaStore"/>: an in-memory LiteDB and a folder of its own per test.</summary>
public sealed class LiteDbMediaStoreTests : MediaStoreContractTests
{
    private readonly LiteDatabase _database = new(new MemoryStream());
    private readonly LiteDbWriter _writer;
    private readonly MediaStore _media;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cb-media-" + Guid.NewGuid().ToString("N"));

    public LiteDbMediaStoreTests()
    {
        _writer = new LiteDbWriter(_database, NullLogger<LiteDbWriter>.Instance);
        _media = new MediaStore(_database, _writer, _folder);
    }

    public override Task DisposeAsync()
    {
        _writer.Dispose();
        _database.Dispose();
        if (System.IO.Directory.Exists(_folder))
        {
            System.IO.Directory.Delete(_folder, recursive: true);
        }

        return Task.CompletedTask;
    }

    protected override Task InsertAsync(IReadOnlyList<MediaItem> items) => _writer.WriteAsync(_ => _media.Insert(items));

    protected override Task<MediaItem?> FindAsync(string id) => Task.FromResult(_media.Find(id));

    protected override Task<IReadOnlyList<MediaItem>> OfTicketAsync(string ticketNumber) => Task.FromResult(_media.OfTicket(ticketNumber));

    protected override Task<IReadOnlyList<MediaItem>> DueAsync(DateTimeOffset now, int limit) => Task.FromResult(_media.Due(now, limit));

    protected override async Task<IReadOnlyList<MediaItem>?> StoreAsync(MediaItem item, byte[] bytes, string contentType, DateTimeOffset at)
    {
        IReadOnlyList<MediaItem>? settled = null;
        await _media.StoreAsync(item, bytes, contentType, at, batch => settled = batch, CancellationToken.None);
        return settled;
    }

    protected override Task RetryLaterAsync(MediaItem item, string failure, DateTimeOffset next) => _media.RetryLaterAsync(item, failure, next);

    protected override async Task<IReadOnlyList<MediaItem>?> FailAsync(MediaItem item, string failure, DateTimeOffset at)
    {
        IReadOnlyList<MediaItem>? settled = null;
        await _media.FailAsync(item, failure, at, batch => settled = batch);
        return settled;
    }

    protected override async Task<byte[]?> ContentAsync(MediaItem item) =>
        _media.FileOf(item) is { } path ? await File.ReadAllBytesAsync(path) : null;
}
