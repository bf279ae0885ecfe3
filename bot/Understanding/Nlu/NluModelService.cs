using Microsoft.Extensions.Options;

namespace CommunityBot.Understanding.Nlu;

/// <summary>
/// Loads the cached models, or trains them from the shipped data, in the background when the server starts: the
/// first training takes several seconds, and the assistant answers with rules meanwhile instead of holding up startup.
/// </summary>
public sealed partial class NluModelService(
    MessageClassifier classifier,
    IOptions<NluOptions> options,
    IOptions<Storage.StorageOptions> storage,
    ILogger<NluModelService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return Task.CompletedTask;
        }
        return Task.Run(() =>
        {
            try
            {
                var started = System.Diagnostics.Stopwatch.StartNew();
                var store = new NluModelStore(storage.Value.DataDir, NluModelStore.DefaultShippedDir, options.Value, logger);
                var (intent, category) = store.LoadOrTrain(stoppingToken);
                classifier.Use(intent, category);
                LogReady(started.Elapsed.TotalSeconds, category.Labels.Count);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                // Rules keep answering; the cause is in the log for the office.
                classifier.MarkLoadFailed();
                LogFailed(ex);
            }
        }, stoppingToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Intent and category models ready after {Seconds:F1} s ({Categories} categories)")]
    private partial void LogReady(double seconds, int categories);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not load or train the intent and category models; intents come from rules and categories are not given")]
    private partial void LogFailed(Exception exception);
}
