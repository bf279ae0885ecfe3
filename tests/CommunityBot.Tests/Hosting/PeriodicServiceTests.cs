using System.Threading.Channels;
using CommunityBot.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CommunityBot.Tests.Hosting;

public sealed class PeriodicServiceTests
{
    // A safety net against a hang, not a timing assertion: rounds are driven by the fake clock.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Rounds_FollowTheInjectedClock_AndAFailedRoundDoesNotStopThem()
    {
        var start = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(start);
        var service = new Probe(time, failFirst: true);
        await service.StartAsync(CancellationToken.None);

        var first = await NextRoundAsync(service, time);
        // The first round threw; the service carries on.
        var second = await NextRoundAsync(service, time);

        Assert.True(first >= start + TimeSpan.FromSeconds(30), $"the first round ran at {first}, before one interval had passed");
        Assert.True(second >= first + TimeSpan.FromSeconds(30), $"the second round ran {second - first} after the first");
        await service.StopAsync(CancellationToken.None);
    }

    /// <summary>
    /// Moves the fake clock a second at a time until the service runs a round (since .NET 10 a BackgroundService starts
    /// its loop on the thread pool, so the test cannot know when the wait has been armed).
    /// </summary>
    private static async Task<DateTimeOffset> NextRoundAsync(Probe service, FakeTimeProvider time)
    {
        var round = service.Rounds.Reader.ReadAsync().AsTask();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!round.IsCompleted && watch.Elapsed < Patience)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }

        return await round.WaitAsync(Patience);
    }

    [Fact]
    public async Task RunAtStart_RunsOnceBeforeTheFirstWait()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var service = new Probe(time, failFirst: false, runAtStart: true);
        await service.StartAsync(CancellationToken.None);

        var first = await service.Rounds.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.Equal(time.GetUtcNow(), first);

        await service.StopAsync(CancellationToken.None);
    }

    private sealed class Probe(TimeProvider time, bool failFirst, bool runAtStart = false)
        : PeriodicService(time, NullLogger.Instance)
    {
        private bool _failNext = failFirst;

        public Channel<DateTimeOffset> Rounds { get; } = Channel.CreateUnbounded<DateTimeOffset>();

        protected override TimeSpan Interval => TimeSpan.FromSeconds(30);

        protected override bool RunAtStart => runAtStart;

        protected override Task RunOnceAsync(DateTimeOffset now, CancellationToken cancellationToken)
        {
            Rounds.Writer.TryWrite(now);
            if (_failNext)
            {
                _failNext = false;
                throw new InvalidOperationException("a bad record");
            }

            return Task.CompletedTask;
        }
    }
}
