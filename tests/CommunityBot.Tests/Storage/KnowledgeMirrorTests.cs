using CommunityBot.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CommunityBot.Tests.Storage;

/// <summary>
/// The in-memory copy one instance keeps of shared knowledge: reloaded after each change of its topic only, and kept when
/// a reload fails. Waits are for the mirror's events; the 30 s bound only stops a broken build from hanging the run.
/// </summary>
public sealed class KnowledgeMirrorTests : IAsyncDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly KnowledgeChanges _changes = new();
    private readonly WatchedClock _time = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Queue<Func<string>> _loads = new();
    private readonly KnowledgeMirror<string> _mirror;
    private Task _running = Task.CompletedTask;
    private int _loadCount;

    public KnowledgeMirrorTests() =>
        _mirror = new(_changes, KnowledgeTopic.Notices, _ => Task.FromResult(Load()), "", _time, NullLogger.Instance);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
        _mirror.Dispose();
        _stop.Dispose();
    }

    [Fact]
    public async Task ServesTheEmptyCopy_UntilTheFirstLoad_ThenReloadsOnlyWhenItsTopicChanges()
    {
        _loads.Enqueue(() => "one");
        _loads.Enqueue(() => "two");
        Assert.Equal("", _mirror.Current);

        await RunUntilRebuiltAsync(() => _running = _mirror.RunAsync(_stop.Token));
        Assert.Equal("one", _mirror.Current);

        _changes.Invalidate(KnowledgeTopic.Faq); // another topic: nothing to load
        await RunUntilRebuiltAsync(() => _changes.Invalidate(KnowledgeTopic.Notices, "notices:7"));
        Assert.Equal("two", _mirror.Current);
        Assert.Equal(2, _loadCount);
        Assert.Equal(_changes.VersionOf(KnowledgeTopic.Notices), _mirror.BuiltAt);
    }

    [Fact]
    public async Task LoadThatFails_KeepsTheCopyHeld_AndIsTriedAgainAfterTheRetryDelay()
    {
        _loads.Enqueue(() => "one");
        _loads.Enqueue(() => throw new InvalidOperationException("database down"));
        _loads.Enqueue(() => "two");
        await RunUntilRebuiltAsync(() => _running = _mirror.RunAsync(_stop.Token));

        var rebuilt = NextRebuiltAsync();
        var retryArmed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _time.TimerCreated += due =>
        {
            if (due == KnowledgeMirror<string>.RetryDelay)
            {
                retryArmed.TrySetResult();
            }
        };
        _changes.Invalidate(KnowledgeTopic.Notices);
        await retryArmed.Task.WaitAsync(Bound); // the load failed and the mirror waits to try again

        Assert.Equal(2, _loadCount);
        Assert.Equal("one", _mirror.Current);
        Assert.False(rebuilt.IsCompleted);
        _time.Advance(KnowledgeMirror<string>.RetryDelay);
        await rebuilt.WaitAsync(Bound);
        Assert.Equal("two", _mirror.Current);
        Assert.Equal(3, _loadCount);
    }

    private string Load()
    {
        Interlocked.Increment(ref _loadCount);
        return _loads.Dequeue()();
    }

    private async Task RunUntilRebuiltAsync(Action act)
    {
        var rebuilt = NextRebuiltAsync();
        act();
        await rebuilt.WaitAsync(Bound);
    }

    private Task NextRebuiltAsync()
    {
        var rebuilt = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _mirror.Rebuilt += _ => rebuilt.TrySetResult();
        return rebuilt.Task;
    }

    // Tells when a wait begins on the clock, and for how long, so the test moves the clock only once it has.
    private sealed class WatchedClock : FakeTimeProvider
    {
        public event Action<TimeSpan>? TimerCreated;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            TimerCreated?.Invoke(dueTime);
            return timer;
        }
    }
}
