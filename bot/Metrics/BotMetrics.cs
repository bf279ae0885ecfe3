using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CommunityBot.Conversation;
using CommunityBot.Dialogs.Understanding;
using CommunityBot.Notifications;

namespace CommunityBot.Metrics;

/// <summary>
/// The assistant's own figures, as <see cref="System.Diagnostics.Metrics"/> instruments on the <c>CommunityBot</c> meter
/// (exported by OpenTelemetry when <c>Metrics:Enabled</c>; an instrument nobody listens to costs a check) and as totals
/// since start for the console's 运行状态 page. Tags are only channel names and fixed outcome words: nothing about a
/// resident.
/// </summary>
public sealed class BotMetrics : IFaqOutcomes, IDisposable
{
    public const string MeterName = "CommunityBot";

    private const int LatencyWindow = 1000;

    private readonly Meter _meter;
    private readonly Counter<long> _turns;
    private readonly Histogram<double> _answerLatency;
    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _tickets;
    private readonly Counter<long> _faq;
    private readonly ConcurrentDictionary<(string Figure, string Channel, string Outcome), long> _totals = new();
    private readonly Lock _latencyLock = new();
    private readonly double[] _latencies = new double[LatencyWindow];
    private int _latencyCount;
    private int _latencyNext;

    public BotMetrics(TimeProvider time, IMeterFactory? meterFactory = null)
    {
        StartedAt = time.GetUtcNow();
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _turns = _meter.CreateCounter<long>("communitybot.turns", "{turn}", "Inbound messages by channel and outcome (processed, ignored, duplicate, failed).");
        _answerLatency = _meter.CreateHistogram<double>("communitybot.answer.latency", "s", "From a turn's commit to the channel taking its reply.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300] });
        _deliveries = _meter.CreateCounter<long>("communitybot.outbox.deliveries", "{message}", "Sends by channel and outcome (delivered, failed, undeliverable, rate_limited).");
        _tickets = _meter.CreateCounter<long>("communitybot.tickets", "{ticket}", "Tickets opened, closed (办结) and escalated.");
        _faq = _meter.CreateCounter<long>("communitybot.faq", "{question}", "Questions answered, offered choices (suggested) or missed, by channel.");
    }

    /// <summary>When this process started counting.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>Adds the outbox gauges (backlog, failed, oldest reply's age), read from <paramref name="backlog"/> at each collection.</summary>
    public void ObserveOutbox(Func<OutboxBacklog> read)
    {
        // One collection reads three gauges: read the outbox once for them.
        OutboxBacklog? last = null;
        var lastAt = 0L;
        var gate = new Lock();
        OutboxBacklog backlog()
        {
            lock (gate)
            {
                if (last is null || System.Diagnostics.Stopwatch.GetElapsedTime(lastAt) > TimeSpan.FromSeconds(1))
                {
                    last = read();
                    lastAt = System.Diagnostics.Stopwatch.GetTimestamp();
                }

                return last;
            }
        }

        _meter.CreateObservableGauge("communitybot.outbox.backlog", () =>
        {
            var now = backlog();
            return new Measurement<long>[]
            {
                new(now.PendingReplies, new KeyValuePair<string, object?>("kind", "reply")),
                new(now.Pending - now.PendingReplies, new KeyValuePair<string, object?>("kind", "bulk")),
            };
        }, "{message}", "Messages waiting to be delivered.");
        _meter.CreateObservableGauge("communitybot.outbox.failed", () => (long)backlog().Failed, "{message}", "Messages given up on and kept for 投递情况.");
        _meter.CreateObservableGauge("communitybot.outbox.oldest_reply_age", () => backlog().OldestReplyAge?.TotalSeconds ?? 0, "s",
            "How long the oldest undelivered reply has waited (0 when none waits).");
    }

    public void Turn(string channel, TurnOutcome outcome)
    {
        var name = Word(outcome);
        _turns.Add(1, new("channel", channel), new("outcome", name));
        Count("turns", channel, name);
    }

    /// <summary>A reply the channel took, <paramref name="latency"/> after its turn committed.</summary>
    public void AnswerDelivered(string channel, TimeSpan latency)
    {
        _answerLatency.Record(latency.TotalSeconds, new KeyValuePair<string, object?>("channel", channel));
        lock (_latencyLock)
        {
            _latencies[_latencyNext] = latency.TotalSeconds;
            _latencyNext = (_latencyNext + 1) % LatencyWindow;
            _latencyCount = Math.Min(_latencyCount + 1, LatencyWindow);
        }
    }

    public void Delivery(string channel, DeliveryOutcome outcome, int messages = 1)
    {
        var name = Word(outcome);
        _deliveries.Add(messages, new("channel", channel), new("outcome", name));
        Count("deliveries", channel, name, messages);
    }

    public void Ticket(TicketMetric what)
    {
        var name = what.ToString().ToLowerInvariant();
        _tickets.Add(1, new KeyValuePair<string, object?>("event", name));
        Count("tickets", "", name);
    }

    public void Record(FaqOutcome outcome, string channel)
    {
        var name = outcome.ToString().ToLowerInvariant();
        _faq.Add(1, new("channel", channel), new("outcome", name));
        Count("faq", channel, name);
    }

    /// <summary>The totals since start and the recent answers' latency, for the 运行状态 page.</summary>
    public MetricsSnapshot Snapshot()
    {
        double[] recent;
        lock (_latencyLock)
        {
            recent = _latencies[.._latencyCount];
        }

        Array.Sort(recent);
        return new MetricsSnapshot(
            StartedAt,
            _totals.Select(t => new MetricTotal(t.Key.Figure, t.Key.Channel, t.Key.Outcome, t.Value)).ToList(),
            recent.Length,
            Percentile(recent, 0.5),
            Percentile(recent, 0.95));
    }

    public void Dispose() => _meter.Dispose();

    private void Count(string figure, string channel, string outcome, long by = 1) =>
        _totals.AddOrUpdate((figure, channel, outcome), by, (_, value) => value + by);

    private static TimeSpan? Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? null : TimeSpan.FromSeconds(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)]);

    private static string Word(TurnOutcome outcome) => outcome.ToString().ToLowerInvariant();

    private static string Word(DeliveryOutcome outcome) => outcome == DeliveryOutcome.RateLimited ? "rate_limited" : outcome.ToString().ToLowerInvariant();
}
