using CommunityBot.Tickets;
using LiteDB;

namespace CommunityBot.Clocks;

/// <summary>
/// The durable timers of one open ticket (the <c>ticket_timers</c> collection, indexed on <see cref="NextAt"/>).
/// Written in the same LiteDB write as the ticket change that armed them, and by the sweep in the same write as
/// the notification it sends, so a step fires once even across restarts.
/// </summary>
public sealed class TicketTimer
{
    [BsonId]
    public string TicketNumber { get; set; } = "";

    /// <summary>When the sweep must next look at this ticket (UTC); null when nothing is pending.</summary>
    public DateTime? NextAt { get; set; }

    /// <summary>How far up the ladder the ticket has been escalated (starts at the ticket's own level).</summary>
    public TicketLevel Level { get; set; }

    /// <summary>The worker asked the resident something and the close clock waits for the answer.</summary>
    public DateTime? WaitingSince { get; set; }

    public List<ClockState> Clocks { get; set; } = [];

    public ClockState? Find(ClockKind kind) => Clocks.FirstOrDefault(c => c.Kind == kind);
}

/// <summary>One running clock: its deadline, its reminder, and its state while paused.</summary>
public sealed class ClockState
{
    public ClockKind Kind { get; set; }

    public ClockUnit Unit { get; set; }

    /// <summary>The full length, as the clock counts it (wall or office time).</summary>
    public TimeSpan Duration { get; set; }

    public DateTime DueAt { get; set; }

    public DateTime RemindAt { get; set; }

    public bool Reminded { get; set; }

    /// <summary>Time left when the clock was paused; null while it runs.</summary>
    public TimeSpan? PausedRemaining { get; set; }

    public int Escalations { get; set; }

    /// <summary>Breached at the top of the ladder: nothing more to do but record it.</summary>
    public bool Exhausted { get; set; }
}
