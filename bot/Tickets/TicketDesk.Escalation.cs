using CommunityBot.Clocks;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Tickets;
using CommunityBot.Notifications;

namespace CommunityBot.Tickets;

/// <summary>
/// The escalation ladder: 催办 to the assignee before a deadline, and on breach grid → community → street office →
/// district, each step told privately and recorded on the ticket. The timer's change, the ticket's event and the
/// notification are one LiteDB write, so a step happens once even if the process restarts mid-sweep.
/// </summary>
public sealed partial class TicketDesk
{
    // At most one group commit's worth of tickets in flight at once (LiteDbWriter batches up to 512 writes).
    private const int SweepChunk = 512;

    /// <summary>
    /// Arms the clocks of open tickets that have none (tickets older than the clocks): run once before the first sweep.
    /// Returns how many were back-filled.
    /// </summary>
    public Task<int> BackfillTimersAsync(CancellationToken cancellationToken) => _writer.WriteAsync(_ =>
    {
        var filled = 0;
        foreach (var ticket in _store.OpenSince(DateTime.MinValue))
        {
            if (_clock.Backfill(ticket))
            {
                filled++;
            }
        }

        return filled;
    });

    /// <summary>Runs every due timer at <paramref name="now"/>; returns how many tickets had a step. Called by <see cref="EscalationSweeper"/>.</summary>
    public async Task<int> SweepEscalationsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_clock.Timers is not { } timers)
        {
            return 0;
        }

        var fired = 0;
        foreach (var chunk in timers.DueBy(now.UtcDateTime).Chunk(SweepChunk))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var steps = await Task.WhenAll(chunk.Select(number => StepAsync(timers, number, now)));
            fired += steps.Count(s => s);
        }

        if (fired > 0)
        {
            _outbox.Wake();
        }

        return fired;
    }

    private async Task<bool> StepAsync(TicketTimerStore timers, string number, DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        var messages = new List<OutboxMessage>();
        TicketTimer? timer = null;
        string? escalatedTo = null;
        var updated = await _store.UpdateAsync(number, t =>
        {
            // Re-read on the writer thread: another sweep (or a restart) may already have taken this step.
            messages.Clear();
            escalatedTo = null;
            timer = timers.Find(number);
            if (timer?.NextAt is not { } next || next.ToUniversalTime() > utc)
            {
                return false;
            }

            if (!t.IsOpen)
            {
                timers.Delete(number);
                return false;
            }

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

            return true;
        }, _ =>
        {
            timers.Put(timer!);
            // A sweep's reminders and escalations are a batch: paced as bulk, behind residents' replies.
            messages.ForEach(m => m.Bulk = true);
            _outbox.Insert(messages);
        });
        if (updated is not null && escalatedTo is not null)
        {
            LogLadderEscalated(number, timer!.Level.ToString(), escalatedTo);
        }

        return updated is not null;
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
