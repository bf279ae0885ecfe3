using CommunityBot.Media;
using CommunityBot.Storage.Postgres;
using CommunityBot.Tests.Media;
using Npgsql;

namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>
/// The media store contract (<see cref="MediaStoreContractTests"/>) on <see cref="PostgresMediaStore"/>: the class's
/// throw-away database, emptied before each test; each write commits in a transaction of its own, and the photos due are
/// claimed by one instance, whose claims the settling calls use.
/// </summary>
[PostgresTests]
public sealed class PostgresMediaStoreTests(PostgresDatabase database) : MediaStoreContractTests, IClassFixture<PostgresDatabase>
{
    private readonly Dictionary<string, MediaClaim> _claims = [];
    private NpgsqlDataSource _source = null!;
    private PostgresMediaStore _media = null!;

    public override async Task InitializeAsync()
    {
        _source = database.NewDataSource();
        _media = new PostgresMediaStore(_source);
        await using var command = _source.CreateCommand("TRUNCATE media, media_files");
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task InsertAsync(IReadOnlyList<MediaItem> items)
    {
        await using var connection = await _source.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await _media.InsertAsync(items, transaction, CancellationToken.None);
        await transaction.CommitAsync();
    }

    protected override Task<MediaItem?> FindAsync(string id) => _media.FindAsync(id, CancellationToken.None);

    protected override Task<IReadOnlyList<MediaItem>> OfTicketAsync(string ticketNumber) => _media.OfTicketAsync(ticketNumber, CancellationToken.None);

    protected override async Task<IReadOnlyList<MediaItem>> DueAsync(DateTimeOffset now, int limit)
    {
        var claims = await _media.ClaimDueAsync("test-instance", now, limit, TimeSpan.FromMinutes(5), CancellationToken.None);
        foreach (var claim in claims)
        {
            _claims[claim.Item.Id] = claim;
        }

        return claims.Select(c => c.Item).ToList();
    }

    protected override async Task<IReadOnlyList<MediaItem>?> StoreAsync(MediaItem item, byte[] bytes, string contentType, DateTimeOffset at)
    {
        await using var connection = await _source.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var settlement = await _media.StoreAsync(ClaimOf(item), bytes, contentType, at, transaction, CancellationToken.None);
        Assert.NotNull(settlement);
        await transaction.CommitAsync();
        return settlement.Batch;
    }

    protected override async Task RetryLaterAsync(MediaItem item, string failure, DateTimeOffset next) =>
        Assert.True(await _media.RetryLaterAsync(ClaimOf(item), failure, next, CancellationToken.None));

    protected override async Task<IReadOnlyList<MediaItem>?> FailAsync(MediaItem item, string failure, DateTimeOffset at)
    {
        await using var connection = await _source.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var settlement = await _media.FailAsync(ClaimOf(item), failure, at, transaction, CancellationToken.None);
        Assert.NotNull(settlement);
        await transaction.CommitAsync();
        return settlement.Batch;
    }

    protected override Task<byte[]?> ContentAsync(MediaItem item) => _media.ContentOfAsync(item, CancellationToken.None);

    private MediaClaim ClaimOf(MediaItem item) => _claims[item.Id] with { Item = item };
}
