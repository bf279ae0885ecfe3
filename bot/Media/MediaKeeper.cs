using Microsoft.Extensions.Options;

namespace CommunityBot.Media;

/// <summary>
/// One round of re-hosting: fetches the pending photos that are due, keeps each that passes the fetcher's checks, retries
/// an unreachable one with a doubling wait (<see cref="MediaOptions.RetryDelay"/>) up to <see cref="MediaOptions.MaxAttempts"/>
/// attempts, and gives up on a refused one at once. When a batch is settled the listeners hear of it in that same write.
/// </summary>
public sealed partial class MediaKeeper(
    MediaStore store, MediaFetcher fetcher, IEnumerable<IMediaBatchListener> listeners, IOptions<MediaOptions> options, TimeProvider time,
    ILogger<MediaKeeper> logger)
{
    /// <summary>Photos taken per round; a full round is followed by another at once.</summary>
    public const int RoundSize = 16;

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(1);

    /// <summary>Fetches what is due now; returns how many photos it took.</summary>
    public async Task<int> KeepDueAsync(CancellationToken cancellationToken)
    {
        var due = store.Due(time.GetUtcNow(), RoundSize);
        foreach (var item in due)
        {
            try
            {
                await KeepAsync(item, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // A fault of ours (the disk, the store), not the photo's: counted as an attempt, so it cannot loop for ever.
                LogKeepFailed(item.Id, item.TicketNumber, ex);
                await SettleFailureAsync(item, "could not be stored here", retry: true);
            }
        }

        return due.Count;
    }

    private async Task KeepAsync(MediaItem item, CancellationToken cancellationToken)
    {
        item.Attempts++;
        LogFetching(item.Id, item.Source);
        var result = await fetcher.FetchAsync(item, cancellationToken);
        if (result is { Bytes: { } bytes, ContentType: { } type })
        {
            await store.StoreAsync(item, bytes, type, time.GetUtcNow(), Tell, cancellationToken);
            LogStored(item.Id, item.TicketNumber, type, bytes.Length);
            return;
        }

        await SettleFailureAsync(item, result.Failure ?? "unknown", result.Retry);
    }

    private async Task SettleFailureAsync(MediaItem item, string failure, bool retry)
    {
        var now = time.GetUtcNow();
        if (retry && item.Attempts < options.Value.MaxAttempts)
        {
            var wait = TimeSpan.FromTicks(Math.Min(options.Value.RetryDelay.Ticks * (1L << Math.Min(item.Attempts - 1, 20)), MaxRetryDelay.Ticks));
            await store.RetryLaterAsync(item, failure, now + wait);
            LogRetrying(item.Id, item.TicketNumber, item.Attempts, failure, wait);
            return;
        }

        await store.FailAsync(item, failure, now, Tell);
        LogGivenUp(item.Id, item.TicketNumber, item.Attempts, failure);
    }

    private void Tell(IReadOnlyList<MediaItem> batch)
    {
        foreach (var listener in listeners)
        {
            listener.BatchSettled(batch);
        }
    }

    // The address may say who sent what (a signed download link, a file name): Debug only.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Fetching photo {MediaId} from {Source}")]
    private partial void LogFetching(string mediaId, string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "Photo {MediaId} of ticket {TicketNumber} kept ({ContentType}, {Bytes} bytes)")]
    private partial void LogStored(string mediaId, string ticketNumber, string contentType, int bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Photo {MediaId} of ticket {TicketNumber}: attempt {Attempt} failed ({Failure}); retrying in {Wait}")]
    private partial void LogRetrying(string mediaId, string ticketNumber, int attempt, string failure, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Photo {MediaId} of ticket {TicketNumber} not kept after {Attempts} attempt(s): {Failure}")]
    private partial void LogGivenUp(string mediaId, string ticketNumber, int attempts, string failure);

    [LoggerMessage(Level = LogLevel.Error, Message = "Photo {MediaId} of ticket {TicketNumber} could not be kept")]
    private partial void LogKeepFailed(string mediaId, string ticketNumber, Exception exception);
}
