using System.Diagnostics;

namespace CommunityBot.Understanding;

/// <summary>
/// Where <see cref="FaqUnderstanding.Understand"/> spends its time, stage by stage (for <c>classify --stats</c>).
/// One instance per reading thread: it is not thread-safe.
/// </summary>
public sealed class UnderstandingTimings
{
    /// <summary>Tokenising the message to recognise a bare greeting or thanks.</summary>
    public long ChitchatTicks { get; private set; }

    /// <summary>The FAQ matcher (index search, re-scoring, decision).</summary>
    public long FaqTicks { get; private set; }

    /// <summary>The intent and category models (or the intent rules without them).</summary>
    public long NluTicks { get; private set; }

    /// <summary>Bytes the FAQ matcher allocated (on the calling thread).</summary>
    public long FaqBytes { get; private set; }

    /// <summary>Bytes the intent and category models allocated (on the calling thread).</summary>
    public long NluBytes { get; private set; }

    /// <summary>Every FAQ match's duration in milliseconds, in message order.</summary>
    public List<double> FaqMilliseconds { get; } = [];

    internal void AddChitchat(long started) => ChitchatTicks += Stopwatch.GetTimestamp() - started;

    internal void AddFaq(long started, long allocatedBefore)
    {
        var ticks = Stopwatch.GetTimestamp() - started;
        FaqTicks += ticks;
        FaqMilliseconds.Add(ticks * 1000.0 / Stopwatch.Frequency);
        FaqBytes += GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
    }

    internal void AddNlu(long started, long allocatedBefore)
    {
        NluTicks += Stopwatch.GetTimestamp() - started;
        NluBytes += GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
    }

    /// <summary>What <see cref="GC.GetAllocatedBytesForCurrentThread"/> says, or 0 when nobody is timing.</summary>
    internal static long Allocated(UnderstandingTimings? timings) => timings is null ? 0 : GC.GetAllocatedBytesForCurrentThread();
}
