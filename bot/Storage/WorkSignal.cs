namespace CommunityBot.Storage;

/// <summary>
/// Wakes one background worker (the outbox dispatcher, the proactive turns, the media fetch) when there is new work, and
/// lets it sleep until then or until a timeout on the injected clock. Wakes while it runs are folded into one.
/// </summary>
public sealed class WorkSignal
{
    private readonly SemaphoreSlim _signal = new(0);

    /// <summary>Tells the worker there is something new.</summary>
    public void Wake()
    {
        if (_signal.CurrentCount == 0)
        {
            _signal.Release();
        }
    }

    /// <summary>Waits until <see cref="Wake"/> is called or <paramref name="timeout"/> passes on <paramref name="time"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            await _signal.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The timeout passed: the worker looks for retries that fell due.
        }
    }
}
