using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace CommunityBot.Understanding.Extractors;

/// <summary>
/// Builds the Microsoft.Recognizers.Text models on a pool thread once the host has started, so the first grievance
/// intake does not wait ≈0.6 s for them; FAQ answers never need them and do not wait either.
/// </summary>
public sealed partial class RecognizerWarmUp(IOptions<DetailExtractionOptions> options, ILogger<RecognizerWarmUp> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.WarmUp || options.Value.Engine == DetailEngine.Ours)
        {
            return Task.CompletedTask;
        }

        return Task.Run(() =>
        {
            try
            {
                var started = Stopwatch.GetTimestamp();
                ChineseRecognizers.WarmUp();
                LogWarm(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogWarmUpFailed(e);
            }
        }, stoppingToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Chinese recognizer models ready in {Milliseconds:F0} ms")]
    private partial void LogWarm(double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Building the Chinese recognizer models failed; details come from our own rules alone")]
    private partial void LogWarmUpFailed(Exception exception);
}
