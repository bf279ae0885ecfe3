using CommunityBot.Clocks;
using CommunityBot.Conversation;
using CommunityBot.Media;
using CommunityBot.Notifications;

namespace CommunityBot.Tickets;

/// <summary>
/// What goes with one ticket's write and commits with it or not at all: the ticket's timer as the change leaves it, the
/// outbox messages (the worker's card, what the residents are told), the proactive turns requested (the closing survey,
/// a phone number), the photos to fetch, the take-overs started or ended, and an Open311 request's extras. The desk records them here; the store
/// applies them in the ticket's own write (<see cref="ITicketRepository"/>: LiteDB on its writer thread, PostgreSQL in the
/// ticket's transaction after the ticket's statement), so the desk does not depend on either provider. A write whose
/// change is not made (the change returned false) is dropped whole.
/// </summary>
public sealed class TicketWrite
{
    private readonly Func<string, TicketTimer?> _loadTimer;
    private TicketTimer? _timer;
    private bool _timerLoaded;

    /// <param name="ticketNumber">The ticket written (for a new ticket: its number, once taken).</param>
    /// <param name="loadTimer">
    /// Reads the ticket's stored timer, at most once and only when asked for: in the ticket's write, after the ticket is
    /// held, so no other change of the ticket can come between.
    /// </param>
    public TicketWrite(string ticketNumber, Func<string, TicketTimer?> loadTimer)
    {
        TicketNumber = ticketNumber;
        _loadTimer = loadTimer;
    }

    /// <summary>A write of a new ticket, which has no stored timer yet.</summary>
    public static TicketWrite ForNew(string ticketNumber) => new(ticketNumber, static _ => null);

    public string TicketNumber { get; }

    /// <summary>The ticket's timer: as stored when first asked for, then as this write changed it (null: none, or deleted).</summary>
    public TicketTimer? Timer
    {
        get
        {
            if (!_timerLoaded)
            {
                _timer = _loadTimer(TicketNumber);
                _timerLoaded = true;
            }

            return _timer;
        }
    }

    /// <summary>What happens to the stored timer.</summary>
    public TimerChange TimerChange { get; private set; }

    public List<OutboxMessage> Messages { get; } = [];

    public List<ProactiveTurn> Prompts { get; } = [];

    /// <summary>Pending photos, each already naming this ticket, to insert with it (the fetch starts once committed).</summary>
    public List<MediaItem> Photos { get; } = [];

    /// <summary>Take-overs to store (started, or their activity moved on).</summary>
    public List<Handoff> HandoffsPut { get; } = [];

    /// <summary>Take-overs ended, by resident key.</summary>
    public List<string> HandoffsRemoved { get; } = [];

    /// <summary>What an Open311 client sent beyond the report (location, media, e-mail), for the ticket it opened.</summary>
    public List<Open311.Open311Submission> ServiceRequests { get; } = [];

    /// <summary>Whether anything beside the ticket is to be written.</summary>
    public bool IsEmpty =>
        TimerChange == TimerChange.None && Messages.Count == 0 && Prompts.Count == 0 && Photos.Count == 0
        && HandoffsPut.Count == 0 && HandoffsRemoved.Count == 0 && ServiceRequests.Count == 0;

    /// <summary>Stores <paramref name="timer"/> as the ticket's timer (armed anew, or changed in place).</summary>
    public void SaveTimer(TicketTimer timer)
    {
        ArgumentNullException.ThrowIfNull(timer);
        if (!string.Equals(timer.TicketNumber, TicketNumber, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Timer of {timer.TicketNumber} in the write of {TicketNumber}.", nameof(timer));
        }

        _timer = timer;
        _timerLoaded = true;
        TimerChange = TimerChange.Save;
    }

    /// <summary>Deletes the ticket's timer (nothing left to run).</summary>
    public void DeleteTimer()
    {
        _timer = null;
        _timerLoaded = true;
        TimerChange = TimerChange.Delete;
    }

    public void Send(IEnumerable<OutboxMessage> messages) => Messages.AddRange(messages);

    public void Ask(IEnumerable<ProactiveTurn> turns) => Prompts.AddRange(turns);

    /// <summary>Records <paramref name="photos"/> (none: nothing) as this ticket's pending media.</summary>
    public void Keep(MediaBatch? photos)
    {
        if (photos is null)
        {
            return;
        }

        foreach (var item in photos.Items)
        {
            item.TicketNumber = TicketNumber;
        }

        Photos.AddRange(photos.Items);
    }

    /// <summary>Records the Open311 request's extras for this ticket (kept only if the ticket has none yet).</summary>
    public void KeepServiceRequest(Open311.Open311Submission submission)
    {
        submission.TicketNumber = TicketNumber;
        ServiceRequests.Add(submission);
    }

    public void PutHandoff(Handoff handoff)
    {
        HandoffsRemoved.Remove(handoff.ResidentKey);
        HandoffsPut.RemoveAll(h => h.ResidentKey == handoff.ResidentKey);
        HandoffsPut.Add(handoff);
    }

    public void RemoveHandoff(string residentKey)
    {
        HandoffsPut.RemoveAll(h => h.ResidentKey == residentKey);
        if (!HandoffsRemoved.Contains(residentKey))
        {
            HandoffsRemoved.Add(residentKey);
        }
    }
}

/// <summary>What a <see cref="TicketWrite"/> does to the ticket's stored timer.</summary>
public enum TimerChange
{
    None,
    Save,
    Delete,
}
