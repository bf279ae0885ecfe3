using Microsoft.Extensions.Options;

namespace CommunityBot.Media;

/// <summary>
/// Runs <see cref="MediaKeeper"/> in the background, after the ticket's write and never inside a resident's turn: at once
/// when woken (a ticket recorded photos), else every <see cref="MediaOptions.FetchInterval"/> for the retries that fell due.
/// </summary>
public sealed partial class MediaFetchService(
    MediaKeeper keeper, MediaStore store, IOptions<MediaOptions> options, TimeProvider time, ILogger<MediaFetchService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var taken = 0;
            try
            {
                taken = await keeper.KeepDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogRoundFailed(ex);
            }

            if (taken >= MediaKeeper.RoundSize)
            {
                continue; // more may be due
            }

            try
            {
                await store.WaitForWorkAsync(options.Value.FetchInterval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Fetching photos failed this round; retrying at the next")]
    private partial void LogRoundFailed(Exception exception);
}
