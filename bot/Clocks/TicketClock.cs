using CommunityBot.Dialogs.Tickets;
using CommunityBot.Tickets;
using Microsoft.Extensions.Options;

namespace CommunityBot.Clocks;

/// <summary>
/// The per-category deadlines of a ticket (签收, first contact, 办结) on the office's working calendar, and the durable
/// timers that drive 催办 and escalation. Timer methods change the timer of the ticket's own write
/// (<see cref="TicketWrite"/>), so the timer always matches the ticket.
/// </summary>
public sealed class TicketClock
{
    private readonly ClockOptions _options;
    private readonly IHolidayCalendar? _holidays;
    private readonly TimeZoneInfo _zone;
    private readonly IReadOnlyList<OfficePeriod> _periods;
    private readonly Lock _calendarLock = new();
    private WorkingCalendar? _calendar;
    private long _calendarVersion = -1;

    public TicketClock(HolidayStore holidays, TicketTimerStore timers, IOptions<ClockOptions> options)
        : this(options.Value, holidays, timers)
    {
        holidays.SeedIfEmpty(options.Value.Holidays);
    }

    private TicketClock(ClockOptions options, IHolidayCalendar? holidays, TicketTimerStore? timers, bool keepsTimers = false)
    {
        if (options.Problem() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        _options = options;
        _holidays = holidays;
        Timers = timers;
        KeepsTimers = keepsTimers || timers is not null;
        _zone = options.ResolveTimeZone();
        OfficePeriod.TryParseList(options.OfficeHours, out _periods);
    }

    /// <summary>Deadlines only, with no holiday store and no timers (for a desk built without the clocks).</summary>
    public static TicketClock Detached(ClockOptions? options = null) => new(options ?? new ClockOptions(), null, null);

    /// <summary>
    /// A clock whose timers the ticket repository keeps in its own store (PostgreSQL's <c>ticket_timers</c>), on the
    /// holiday calendar given, already seeded (<see cref="Storage.Postgres.PostgresHolidayStore.StartAsync"/>); none: the
    /// calendar is the office hours and weekends.
    /// </summary>
    public static TicketClock KeepingTimersElsewhere(ClockOptions options, IHolidayCalendar? holidays = null) => new(options, holidays, null, keepsTimers: true);

    /// <summary>The durable timers on LiteDB, or null for a detached clock or one whose timers are kept elsewhere.</summary>
    public TicketTimerStore? Timers { get; }

    /// <summary>Whether the timers are kept (in each ticket's <see cref="TicketWrite"/>); false for a detached clock.</summary>
    public bool KeepsTimers { get; }

    public ClockOptions Options => _options;

    public TimeZoneInfo Zone => _zone;

    /// <summary>The calendar with the current holidays (rebuilt when the holiday calendar's version moves).</summary>
    public WorkingCalendar Calendar
    {
        get
        {
            var version = _holidays?.Version ?? 0;
            lock (_calendarLock)
            {
                if (_calendar is null || version != _calendarVersion)
                {
                    _calendar = new WorkingCalendar(_zone, _periods, _holidays?.Overrides() ?? new Dictionary<DateOnly, bool>());
                    _calendarVersion = version;
                }

                return _calendar;
            }
        }
    }

    public ClockRule RuleFor(ClockKind kind, string category) => kind switch
    {
        ClockKind.Sign => ClockRule.Parse(_options.Sign),
        ClockKind.FirstContact => ClockRule.Parse(_options.FirstContact),
        _ when _options.CloseByCategory.TryGetValue(category, out var rule) => ClockRule.Parse(rule),
        _ when _options.EffectiveComplexCategories.Contains(category) => ClockRule.Parse(_options.ComplexClose),
        _ => ClockRule.Parse(_options.Close),
    };

    /// <summary>The response time promised to the resident on the receipt (the signing clock's length).</summary>
    public TimeSpan PromisedResponse(string category) => RuleFor(ClockKind.Sign, category).Length;

    /// <summary>When a clock of <paramref name="kind"/> started at <paramref name="fromUtc"/> runs out.</summary>
    public DateTime Due(ClockKind kind, string category, DateTime fromUtc)
    {
        var rule = RuleFor(kind, category);
        return Add(rule.Unit, fromUtc, rule.Duration(Calendar));
    }

    /// <summary>A new ticket: arms all three clocks, sets its SignBy/CloseBy, and stores the timer in <paramref name="write"/>.</summary>
    public void Start(Ticket ticket, DateTime utc, TicketWrite write)
    {
        var timer = new TicketTimer { TicketNumber = ticket.Number, Level = ticket.Level };
        foreach (var kind in Enum.GetValues<ClockKind>())
        {
            timer.Clocks.Add(Arm(kind, ticket.Category, utc));
        }

        ticket.SignBy = timer.Find(ClockKind.Sign)!.DueAt;
        ticket.CloseBy = timer.Find(ClockKind.Close)!.DueAt;
        Save(timer, write);
    }

    /// <summary>
    /// An open ticket older than the clocks (filed before they were kept, or whose timer was lost) gets its timer from
    /// its history: the clocks run from its creation or its last 重办, without the ones its 签收/回复/接管 already stopped,
    /// at the level it holds. Overdue clocks fire at the next sweep. False when the ticket has a timer or is not open.
    /// The timer is stored in <paramref name="write"/>, the ticket's.
    /// </summary>
    public bool Backfill(Ticket ticket, TicketWrite write)
    {
        if (!KeepsTimers || !ticket.IsOpen || write.Timer is not null)
        {
            return false;
        }

        var restart = ticket.Events.LastOrDefault(e => e.Kind == TicketEventKind.Reopened);
        var from = restart is null ? Utc(ticket.CreatedAt) : Utc(restart.At);
        var since = ticket.Events.Where(e => Utc(e.At) >= from).ToList();
        var timer = new TicketTimer { TicketNumber = ticket.Number, Level = ticket.CurrentLevel };
        foreach (var kind in Enum.GetValues<ClockKind>())
        {
            var stopped = kind switch
            {
                ClockKind.Sign => since.Any(e => e.Kind == TicketEventKind.Signed),
                ClockKind.FirstContact => since.Any(e => e.Kind is TicketEventKind.Replied or TicketEventKind.TakenOver),
                _ => false,
            };
            if (!stopped)
            {
                timer.Clocks.Add(Arm(kind, ticket.Category, from));
            }
        }

        Save(timer, write);
        return true;
    }

    /// <summary>
    /// Keeps the timers in step with a ticket event: 签收 stops the signing clock, 回复/接管 the first-contact clock, a
    /// reply that asks the resident something pauses the close clock, 转派 and 退回 re-arm signing, 重办 restarts everything,
    /// 办结 stops everything. The timer is read from and stored in <paramref name="write"/>, the ticket's.
    /// </summary>
    public void Track(Ticket ticket, TicketEvent e, TicketWrite write)
    {
        var utc = Utc(e.At);
        if (e.Kind == TicketEventKind.Reopened)
        {
            Start(ticket, utc, write);
            return;
        }

        if (!KeepsTimers)
        {
            return;
        }

        if (e.Kind is TicketEventKind.Closed or TicketEventKind.Confirmed)
        {
            write.DeleteTimer();
            return;
        }

        var timer = write.Timer;
        if (timer is null)
        {
            return;
        }

        switch (e.Kind)
        {
            case TicketEventKind.Signed:
                timer.Clocks.RemoveAll(c => c.Kind == ClockKind.Sign);
                break;
            case TicketEventKind.TakenOver:
                timer.Clocks.RemoveAll(c => c.Kind == ClockKind.FirstContact);
                break;
            case TicketEventKind.Replied:
                timer.Clocks.RemoveAll(c => c.Kind == ClockKind.FirstContact);
                if (AsksResident(e.Note))
                {
                    Pause(timer, utc);
                }
                else
                {
                    Resume(timer, utc);
                }

                break;
            case TicketEventKind.Transferred:
                timer.Clocks.RemoveAll(c => c.Kind == ClockKind.Sign);
                timer.Clocks.Add(Arm(ClockKind.Sign, ticket.Category, utc));
                ticket.SignBy = timer.Find(ClockKind.Sign)!.DueAt;
                break;
            case TicketEventKind.Returned:
                // Whoever the ticket went back to must sign (or re-dispatch) it in time, like a transfer's new
                // assignee; the ladder continues above them, not at the grid they took it from.
                timer.Clocks.RemoveAll(c => c.Kind == ClockKind.Sign);
                timer.Clocks.Add(Arm(ClockKind.Sign, ticket.Category, utc));
                ticket.SignBy = timer.Find(ClockKind.Sign)!.DueAt;
                if (ticket.Level > timer.Level)
                {
                    timer.Level = ticket.Level;
                }

                break;
            default:
                return;
        }

        Save(timer, write);
    }

    /// <summary>The resident answered (in a taken-over thread): a paused close clock of the ticket <paramref name="write"/> is for runs again.</summary>
    public void ResidentAnswered(TicketWrite write, DateTime utc)
    {
        if (KeepsTimers && write.Timer is { WaitingSince: not null } timer)
        {
            Resume(timer, Utc(utc));
            Save(timer, write);
        }
    }

    /// <summary>
    /// Moves a due timer on at <paramref name="utc"/>: resumes a clock paused too long, marks reminders due and the
    /// clocks that ran out (re-armed for the next level, or exhausted at the top), and reschedules. The caller notifies
    /// and stores the timer in the same write.
    /// </summary>
    public TimerStep Advance(TicketTimer timer, DateTime utc)
    {
        utc = Utc(utc);
        if (timer.WaitingSince is { } since && Utc(since) + _options.MaxPause <= utc)
        {
            Resume(timer, utc);
        }

        var reminders = new List<ClockState>();
        var breached = new List<ClockState>();
        foreach (var clock in timer.Clocks.Where(c => !c.Exhausted && c.PausedRemaining is null))
        {
            if (Utc(clock.DueAt) <= utc)
            {
                breached.Add(clock);
            }
            else if (!clock.Reminded && Utc(clock.RemindAt) <= utc)
            {
                clock.Reminded = true;
                reminders.Add(clock);
            }
        }

        var atTop = timer.Level == TicketLevel.District;
        foreach (var clock in breached)
        {
            clock.Reminded = true;
            clock.Escalations++;
            if (atTop)
            {
                clock.Exhausted = true;
            }
            else
            {
                // The next level gets the clock's full length again to act before the ladder moves on.
                clock.DueAt = Add(clock.Unit, utc, clock.Duration);
                clock.RemindAt = clock.DueAt;
            }
        }

        Reschedule(timer);
        return new TimerStep(reminders, breached, atTop);
    }

    /// <summary>Whether a worker's reply asks the resident something (it ends with a question mark).</summary>
    public static bool AsksResident(string note) => note.TrimEnd().EndsWith('？') || note.TrimEnd().EndsWith('?');

    /// <summary>A stored UTC time in the office's time zone (a deadline on a 催办 card).</summary>
    public DateTimeOffset Local(DateTime utc) => TimeZoneInfo.ConvertTime(new DateTimeOffset(Utc(utc), TimeSpan.Zero), _zone);

    /// <summary>The deadline as the dialogs name it.</summary>
    public static TicketDeadline Deadline(ClockKind kind) => kind switch
    {
        ClockKind.Sign => TicketDeadline.Sign,
        ClockKind.FirstContact => TicketDeadline.FirstContact,
        _ => TicketDeadline.Close,
    };

    private ClockState Arm(ClockKind kind, string category, DateTime utc)
    {
        var rule = RuleFor(kind, category);
        var duration = rule.Duration(Calendar);
        return new ClockState
        {
            Kind = kind,
            Unit = rule.Unit,
            Duration = duration,
            DueAt = Add(rule.Unit, utc, duration),
            RemindAt = Add(rule.Unit, utc, duration * _options.ReminderAt),
        };
    }

    private void Pause(TicketTimer timer, DateTime utc)
    {
        if (timer.WaitingSince is not null || timer.Find(ClockKind.Close) is not { Exhausted: false } close)
        {
            return;
        }

        timer.WaitingSince = utc;
        close.PausedRemaining = Between(close.Unit, utc, Utc(close.DueAt));
    }

    private void Resume(TicketTimer timer, DateTime utc)
    {
        if (timer.WaitingSince is null)
        {
            return;
        }

        timer.WaitingSince = null;
        if (timer.Find(ClockKind.Close) is { PausedRemaining: { } remaining } close)
        {
            close.PausedRemaining = null;
            close.DueAt = Add(close.Unit, utc, remaining);
            var beforeReminder = remaining - close.Duration * (1 - _options.ReminderAt);
            close.RemindAt = close.Reminded || beforeReminder <= TimeSpan.Zero ? utc : Add(close.Unit, utc, beforeReminder);
        }
    }

    // Detached (no timer store), the deadlines are computed but no timer is kept.
    private void Save(TicketTimer timer, TicketWrite write)
    {
        Reschedule(timer);
        if (KeepsTimers)
        {
            write.SaveTimer(timer);
        }
    }

    private void Reschedule(TicketTimer timer)
    {
        var times = timer.Clocks
            .Where(c => !c.Exhausted && c.PausedRemaining is null)
            .Select(c => Utc(c.Reminded ? c.DueAt : c.RemindAt))
            .ToList();
        if (timer.WaitingSince is { } since)
        {
            times.Add(Utc(since) + _options.MaxPause);
        }

        timer.NextAt = times.Count == 0 ? null : times.Min();
    }

    private DateTime Add(ClockUnit unit, DateTime utc, TimeSpan duration) =>
        unit == ClockUnit.Wall
            ? utc + duration
            : Calendar.AddWorkingTime(new DateTimeOffset(Utc(utc), TimeSpan.Zero), duration).UtcDateTime;

    private TimeSpan Between(ClockUnit unit, DateTime fromUtc, DateTime toUtc) =>
        unit == ClockUnit.Wall
            ? (toUtc > fromUtc ? toUtc - fromUtc : TimeSpan.Zero)
            : Calendar.WorkingTimeBetween(new DateTimeOffset(fromUtc, TimeSpan.Zero), new DateTimeOffset(toUtc, TimeSpan.Zero));

    // LiteDB hands dates back in local time; everything here compares UTC.
    private static DateTime Utc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Local => value.ToUniversalTime(),
        DateTimeKind.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Utc),
        _ => value,
    };
}

/// <summary>What a sweep step found: reminders due, clocks run out, and whether the ladder was already at the top.</summary>
public sealed record TimerStep(IReadOnlyList<ClockState> Reminders, IReadOnlyList<ClockState> Breached, bool AtTop);
