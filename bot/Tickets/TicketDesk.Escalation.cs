using CommunityBot.Clocks;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Tickets;
using CommunityBot.Notifications;

namespace CommunityBot.Tickets;

/// <summary>
/// The escalation ladder: 催办 to the assignee before a deadline, and on breach grid → community → street office →
/// district, each step told privately and recorded on the ticket. The timer's change, the ticket's event and the
/// notification are one write (<see cref="TicketWrite"/>), so a step happens once even if the process restarts mid-sweep.
/// </summary>
public sealed partial class TicketDesk
{
    // At most one group commit's worth of tickets in flight at once (LiteDbWriter batches up to 512 writes).
    private const int SweepChunk = 512;

    /// <summary>
    /// Arms the clocks of open tickets that have none (tickets older than the clocks): run once before the first sweep.
    /// Returns how many were back-filled.
    /// </summary>
    public async Task<int> BackfillTimersAsync(CancellationToken cancellationToken)
    {
        if (!_clock.KeepsTimers)
        {
            return 0;
        }

        var filled = 0;
        foreach (var chunk in (await _tickets.OpenSinceAsync(DateTime.MinValue, cancellationToken)).Chunk(SweepChunk))
        {
            // Each ticket's timer is read and armed in that ticket's write, so a ticket changed meanwhile keeps its own.
            var armed = await Task.WhenAll(chunk.Select(async open =>
            {
                var filledThis = false;
                await _tickets.UpdateAsync(open.Number, (t, write) => filledThis = _clock.Backfill(t, write), alsoWrite: null, cancellationToken);
                return filledThis;
            }));
            filled += armed.Count(a => a);
        }

        return filled;
    }

    /// <summary>Runs every due timer at <paramref name="now"/>; returns how many tickets had a step. Called by <see cref="EscalationSweeper"/>.</summary>
    public async Task<int> SweepEscalationsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!_clock.KeepsTimers)
        {
            return 0;
        }

        var fired = 0;
        foreach (var chunk in (await _tickets.TimersDueAsync(now.UtcDateTime, cancellationToken)).Chunk(SweepChunk))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var steps = await Task.WhenAll(chunk.Select(number => StepAsync(number, now, cancellationToken)));
            fired += steps.Count(s => s);
        }

        return fired;
    }

    private async Task<bool> StepAsync(string number, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var utc = now.UtcDateTime;
        TicketTimer? timer = null;
        string? escalatedTo = null;
        var stepped = false;
        await _tickets.UpdateAsync(number, (t, write) =>
        {
            // Read in the ticket's write: another sweep (another instance, or before a restart) may have taken this step.
            escalatedTo = null;
            stepped = false;
            timer = write.Timer;
            if (timer?.NextAt is not { } next || next.ToUniversalTime() > utc)
            {
                return false;
            }

            if (!t.IsOpen)
            {
                // Nothing left to run (a timer a close did not stop): the ticket is stored as it is, without it.
                write.DeleteTimer();
                return true;
            }

            var messages = new List<OutboxMessage>();

            var step = _clock.Advance(timer, utc);
            foreach (var clock in step.Reminders)
            {
                var reminder = new CardReason.DeadlineNear(TicketClock.Deadline(clock.Kind), _clock.Local(clock.DueAt));
                // The timeline keeps the card's own line, so staff read what the worker was told.
                t.Events.Add(new TicketEvent { At = utc, Actor = "system", Kind = TicketEventKind.Reminded, Note = TicketMessages.Note(reminder) });
                messages.AddRange(WorkerCard(t, t.AssigneeId, reminder));
            }

            if (step.Breached.Count > 0 && !step.AtTop)
            {
                var missed = step.Breached.Select(c => TicketClock.Deadline(c.Kind)).ToList();
                var what = string.Join("、", missed.Select(TicketMessages.Name));
                var (level, name, notices) = NextRung(t, timer.Level, now, missed);
                timer.Level = level;
                t.EscalatedTo = level;
                escalatedTo = name;
                t.Events.Add(new TicketEvent { At = utc, Actor = "system", Kind = TicketEventKind.Escalated, Note = $"{what}超时，升级至{name}" });
                messages.AddRange(notices);
            }

            write.SaveTimer(timer);
            stepped = true;
            // A sweep's reminders and escalations are a batch: paced as bulk, behind residents' replies.
            messages.ForEach(m => m.Bulk = true);
            write.Send(messages);
            return true;
        }, alsoWrite: null, cancellationToken);
        if (stepped && escalatedTo is not null)
        {
            LogLadderEscalated(number, timer!.Level.ToString(), escalatedTo);
        }

        return stepped;
    }

    /// <summary>Who is above <paramref name="current"/> for this ticket, and the private message that tells them.</summary>
    private (TicketLevel Level, string Name, IEnumerable<OutboxMessage> Messages) NextRung(
        Ticket ticket, TicketLevel current, DateTimeOffset now, IReadOnlyList<TicketDeadline> missed)
    {
        var reason = new CardReason.DeadlinesMissed(missed);
        if (current == TicketLevel.Grid && _assignment.Supervisor(ticket.GridId, now) is { } supervisor && supervisor.Level > current)
        {
            return (supervisor.Level, supervisor.WorkerName, WorkerCard(ticket, supervisor.WorkerId, reason));
        }

        if (current <= TicketLevel.Community && _assignment.StreetOffice(now) is { Level: TicketLevel.Street } street)
        {
            return (TicketLevel.Street, street.WorkerName, WorkerCard(ticket, street.WorkerId, reason));
        }

        var district = _clock.Options.District;
        if (district is { Channel: { Length: > 0 } channel, UserId: { Length: > 0 } user })
        {
            var address = new ConversationReference
            {
                Channel = channel,
                ConversationId = district.ConversationId ?? user,
                UserId = user,
                UserName = district.Name,
                ServiceUrl = district.ServiceUrl,
            };
            return (TicketLevel.District, district.Name, [Tell(address, new TicketFact.DistrictEscalated(Card(ticket), missed))]);
        }

        LogDistrictUnreachable(ticket.Number);
        return (TicketLevel.District, district.Name, []);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ticket {TicketNumber}: deadline missed, escalated to level {Level} ({Name})")]
    private partial void LogLadderEscalated(string ticketNumber, string level, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ticket {TicketNumber}: escalated to the district, which has no channel address configured; recorded only")]
    private partial void LogDistrictUnreachable(string ticketNumber);
}
