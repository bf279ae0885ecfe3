using System.Text.Json;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Engine;
using CommunityBot.Dialogs.Tickets;
using CommunityBot.Notifications;

namespace CommunityBot.Tickets;

/// <summary>
/// 接管: a worker takes over a resident's thread. The assistant is silent for that resident only, messages are relayed
/// both ways, and the thread returns to the assistant on 结束接管, on close, or when idle; a resident left without an
/// answer is told so and the next level is notified.
/// </summary>
public sealed partial class TicketDesk
{
    /// <summary>What a worker sends to end a take-over (the writer's texts tell them so).</summary>
    public const string EndTakeOverCommand = TicketMessages.EndTakeOverCommand;

    public async Task<bool> RelayFromResidentAsync(InboundMessage message, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (await _handoffs.ForResidentAsync(message.StateKey, cancellationToken) is not { } handoff)
        {
            return false;
        }

        var text = (message.ButtonValue ?? message.Text).Trim();
        // The timeline says how many attachments came with it, as the worker's copy does.
        var photos = message.Attachments.Count > 0 ? $"（附{message.Attachments.Count}个附件）" : "";
        var utc = at.UtcDateTime;
        var relayed = new TicketEvent
        {
            At = utc,
            Actor = "resident:" + TicketReporter.KeyOf(message.Conversation.Channel, message.Conversation.UserId),
            Kind = TicketEventKind.RelayedFromResident,
            Note = text + photos,
        };
        await RecordRelayAsync(handoff, relayed, write =>
        {
            handoff.LastActivityAt = utc;
            handoff.ResidentWaitingSince ??= utc;
            write.PutHandoff(handoff);
            _clock.ResidentAnswered(write, utc);
            write.Send([Tell(Address(handoff.WorkerAddress),
                new TicketFact.RelayedFromResident(handoff.TicketNumber, handoff.ResidentName, text, message.Attachments.Count))]);
        }, cancellationToken);
        LogRelayed(handoff.TicketNumber, "resident", text);
        return true;
    }

    public async Task<string?> RelayFromWorkerAsync(InboundMessage message, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (message.Conversation.IsGroup || message.ButtonValue is not null
            || (await _handoffs.ForWorkerAsync(message.StateKey, cancellationToken)
                ?? await ConsoleTakeOverOfAsync(message.Conversation, cancellationToken)) is not { } handoff)
        {
            return null;
        }

        var text = message.Text.Trim();
        if (text == EndTakeOverCommand)
        {
            await HandBackAsync(handoff, at, idle: false, cancellationToken);
            // The signature stays a string (the take-over relay is moving into middleware); the words are the writer's.
            return TicketMessages.ToActor(new WorkerActionResult(WorkerActionOutcome.TakeOverEnded, handoff.TicketNumber));
        }

        var utc = at.UtcDateTime;
        var relayed = new TicketEvent { At = utc, Actor = handoff.WorkerId, Kind = TicketEventKind.RelayedToResident, Note = text };
        await RecordRelayAsync(handoff, relayed, write =>
        {
            handoff.LastActivityAt = utc;
            handoff.ResidentWaitingSince = null;
            handoff.Escalated = false;
            write.PutHandoff(handoff);
            write.Send([Tell(Address(handoff.ResidentAddress), new TicketFact.RelayedToResident(handoff.WorkerName, text))]);
        }, cancellationToken);
        LogRelayed(handoff.TicketNumber, "worker", text);
        return "";
    }

    /// <summary>
    /// A take-over started from the admin console is keyed by the console page, but the resident's answers reach the
    /// worker's private chat, and the worker answers there: a private message from a directory worker continues their
    /// most recently active console take-over.
    /// </summary>
    private async Task<Handoff?> ConsoleTakeOverOfAsync(ConversationReference conversation, CancellationToken cancellationToken)
    {
        if (_assignment.FindWorker(conversation.Channel, conversation.UserId) is not { } worker)
        {
            return null;
        }
        var console = DirectoryAssignment.AdminChannel + "/";
        return (await _handoffs.ForWorkerIdAsync(worker.Id, cancellationToken))
            .Where(h => h.WorkerKey.StartsWith(console, StringComparison.Ordinal))
            .MaxBy(h => h.LastActivityAt);
    }

    /// <summary>
    /// Puts a relayed message on the ticket's timeline (staff-only: the console's ticket detail) in the same write as
    /// what <paramref name="relay"/> records: the take-over and the relay's outbox message.
    /// </summary>
    private async Task RecordRelayAsync(Handoff handoff, TicketEvent relayed, Action<TicketWrite> relay, CancellationToken cancellationToken)
    {
        var updated = await _tickets.UpdateAsync(handoff.TicketNumber, (t, _) =>
        {
            t.Events.Add(relayed);
            return true;
        }, (_, write) => relay(write), cancellationToken);
        if (updated is null)
        {
            // The ticket is gone (should not happen): the message is still relayed rather than lost.
            await _tickets.WriteAsync(handoff.TicketNumber, relay, cancellationToken);
        }
    }

    /// <summary>
    /// Hands idle threads back and, once per wait, tells a resident nobody has answered and notifies the next level.
    /// Called by <see cref="HandoffSweeper"/> on the injected clock.
    /// </summary>
    public async Task SweepHandoffsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var utc = now.UtcDateTime;
        foreach (var handoff in await _handoffs.AllAsync(cancellationToken))
        {
            if (utc - handoff.LastActivityAt >= _options.HandoffIdleTimeout)
            {
                await HandBackAsync(handoff, now, idle: true, cancellationToken);
            }
            else if (handoff.ResidentWaitingSince is { } since && !handoff.Escalated && utc - since >= _options.HandoffAnswerTimeout)
            {
                await EscalateUnansweredAsync(handoff, now, cancellationToken);
            }
        }
    }

    private async Task<WorkerActionResult> TakeOverAsync(Ticket ticket, WorkerIdentity worker, WorkerActionRequest request, CancellationToken cancellationToken)
    {
        if (!ticket.IsOpen)
        {
            return new WorkerActionResult(WorkerActionOutcome.TakeOverRefused, ticket.Number);
        }

        var resident = Origin(ticket);
        var residentKey = resident.StateKey;
        if (await _handoffs.ForResidentAsync(residentKey, cancellationToken) is { } existing && existing.WorkerId != worker.Id)
        {
            return new WorkerActionResult(WorkerActionOutcome.TakenOverByOther, ticket.Number, existing.WorkerName);
        }

        // From the admin console the resident's answers go to the worker's private chat: the console is a web page
        // that nothing can be delivered to.
        var workerAddress = request.Actor.Channel == DirectoryAssignment.AdminChannel
            ? _assignment.PrivateAddressOf(worker.Id, resident)
            : request.Actor with { ReplyToId = null };
        if (workerAddress is null)
        {
            return new WorkerActionResult(WorkerActionOutcome.NoPrivateChat, ticket.Number);
        }

        var utc = request.At.UtcDateTime;
        var handoff = new Handoff
        {
            ResidentKey = residentKey,
            WorkerKey = request.Actor.StateKey,
            TicketNumber = ticket.Number,
            WorkerId = worker.Id,
            WorkerName = worker.Name,
            ResidentName = ticket.Reporter.UserName,
            ResidentAddress = JsonSerializer.Serialize(resident, DialogJson.Options),
            WorkerAddress = JsonSerializer.Serialize(workerAddress, DialogJson.Options),
            StartedAt = utc,
            LastActivityAt = utc,
        };
        await _tickets.UpdateAsync(ticket.Number, (t, write) =>
        {
            Apply(t, new TicketEvent { At = utc, Actor = worker.Id, Kind = TicketEventKind.TakenOver }, write);
            return true;
        }, (t, write) =>
        {
            write.PutHandoff(handoff);
            write.Send([Tell(resident, new TicketFact.TakeOverStarted(t.Number, worker.Name))]);
            if (request.Actor.Channel == DirectoryAssignment.AdminChannel)
            {
                // The resident's answers will arrive in this private chat: say so, and that replying here works too.
                write.Send([Tell(workerAddress, new TicketFact.ConsoleTakeOverStarted(t.Number, ticket.Reporter.UserName))]);
            }
        }, cancellationToken);
        LogTakenOver(ticket.Number, worker.Id);
        return new WorkerActionResult(WorkerActionOutcome.TakenOver, ticket.Number, ticket.Reporter.UserName);
    }

    private async Task<WorkerActionResult> EndTakeOverAsync(Ticket ticket, WorkerActionRequest request, CancellationToken cancellationToken)
    {
        var handoffs = await _handoffs.ForTicketAsync(ticket.Number, cancellationToken);
        foreach (var handoff in handoffs)
        {
            await HandBackAsync(handoff, request.At, idle: false, cancellationToken);
        }

        return handoffs.Count == 0
            ? new WorkerActionResult(WorkerActionOutcome.NotTakenOver, ticket.Number)
            : new WorkerActionResult(WorkerActionOutcome.TakeOverEnded, ticket.Number);
    }

    /// <summary>Ends every take-over of a closed ticket; the resident then gets the feedback questions from the assistant.</summary>
    private async Task EndTakeOversOnCloseAsync(string ticketNumber, DateTimeOffset at, CancellationToken cancellationToken)
    {
        foreach (var handoff in await _handoffs.ForTicketAsync(ticketNumber, cancellationToken))
        {
            var utc = at.UtcDateTime;
            await _tickets.UpdateAsync(ticketNumber, (t, _) =>
            {
                t.Events.Add(new TicketEvent { At = utc, Actor = "system", Kind = TicketEventKind.HandedBack, Note = "工单办结" });
                return true;
            }, (_, write) => write.RemoveHandoff(handoff.ResidentKey), cancellationToken);
        }
    }

    /// <summary>Gives the thread back to the assistant: the worker ended it, or (<paramref name="idle"/>) nobody wrote for too long.</summary>
    private async Task HandBackAsync(Handoff handoff, DateTimeOffset at, bool idle, CancellationToken cancellationToken)
    {
        // The ticket's timeline (staff-only) says why.
        var why = idle ? "空闲超时" : "网格员结束接管";
        var utc = at.UtcDateTime;
        var updated = await _tickets.UpdateAsync(handoff.TicketNumber, (t, _) =>
        {
            t.Events.Add(new TicketEvent { At = utc, Actor = "system", Kind = TicketEventKind.HandedBack, Note = why });
            return true;
        }, (_, write) =>
        {
            write.RemoveHandoff(handoff.ResidentKey);
            var messages = new List<OutboxMessage>
            {
                Tell(Address(handoff.ResidentAddress), new TicketFact.TakeOverEnded(handoff.TicketNumber, handoff.WorkerName)),
            };
            if (idle)
            {
                // A worker who ended it knows; one who went quiet is told.
                messages.Add(Tell(Address(handoff.WorkerAddress), new TicketFact.TakeOverIdle(handoff.TicketNumber, handoff.ResidentName)));
            }

            write.Send(messages);
        }, cancellationToken);
        if (updated is null)
        {
            // The ticket is gone (should not happen): still release the thread.
            await _tickets.WriteAsync(handoff.TicketNumber, write => write.RemoveHandoff(handoff.ResidentKey), cancellationToken);
        }

        LogHandedBack(handoff.TicketNumber, why);
    }

    private async Task EscalateUnansweredAsync(Handoff handoff, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ticket = await _tickets.FindAsync(handoff.TicketNumber, cancellationToken);
        if (ticket is null)
        {
            return;
        }

        var supervisor = _assignment.Supervisor(ticket.GridId, now);
        var utc = now.UtcDateTime;
        var waited = (int)(utc - handoff.ResidentWaitingSince!.Value).TotalMinutes;
        await _tickets.UpdateAsync(ticket.Number, (t, _) =>
        {
            t.Events.Add(new TicketEvent
            {
                At = utc, Actor = "system", Kind = TicketEventKind.Escalated,
                Note = $"居民等待{waited}分钟无人回复，{supervisor.Reason}",
            });
            return true;
        }, (t, write) =>
        {
            handoff.Escalated = true;
            write.PutHandoff(handoff);
            write.Send([
                Tell(Address(handoff.ResidentAddress), new TicketFact.AnswerDelayed(t.Number, handoff.WorkerName, supervisor.WorkerName)),
                .. WorkerCard(t, supervisor.WorkerId, new CardReason.ResidentWaiting(waited, handoff.WorkerName)),
            ]);
        }, cancellationToken);
        LogEscalated(ticket.Number, supervisor.WorkerId);
    }

    private static ConversationReference Address(string json) => ReadReference(json);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {TicketNumber}: worker {WorkerId} took over the resident's thread")]
    private partial void LogTakenOver(string ticketNumber, string workerId);

    // The text is the resident's or the worker's own words: personal data, Debug only.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Ticket {TicketNumber}: take-over message relayed from the {From}: {Text}")]
    private partial void LogRelayed(string ticketNumber, string from, string text);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {TicketNumber}: thread handed back to the assistant ({Why})")]
    private partial void LogHandedBack(string ticketNumber, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ticket {TicketNumber}: the resident waited without an answer; escalated to {WorkerId}")]
    private partial void LogEscalated(string ticketNumber, string workerId);
}
