using System.Text.Json;
using CommunityBot.Clocks;
using CommunityBot.Conversation;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Engine;
using CommunityBot.Dialogs.Grievance;
using CommunityBot.Dialogs.Privacy;
using CommunityBot.Dialogs.Tickets;
using CommunityBot.Dialogs.Understanding;
using CommunityBot.Media;
using CommunityBot.Notifications;
using CommunityBot.Storage;
using Microsoft.Extensions.Options;

namespace CommunityBot.Tickets;

/// <summary>
/// Records tickets, joins duplicates, routes them, notifies the worker with a card, carries out worker actions
/// with permission checks, and closes the loop with the resident. Each change of a ticket is one write of the ticket with
/// what goes with it (<see cref="TicketWrite"/>: its timer, the outbox messages, the proactive turns, its photos, its
/// take-overs) through <see cref="ITicketRepository"/>, on either storage provider. What the resident must be asked (the
/// closing survey, a phone number) is a proactive turn requested in that write, and the bot asks it in that resident's
/// own turn.
/// </summary>
public sealed partial class TicketDesk : ITicketDesk
{
    private readonly ITicketRepository _tickets;
    private readonly ITicketAssignment _assignment;
    private readonly ITakeOvers _handoffs;
    private readonly TimeProvider _time;
    private readonly TicketOptions _options;
    private readonly IPrivateChats _privateChats;
    private readonly TicketClock _clock;
    private readonly MediaIntake? _media;
    private readonly ILogger<TicketDesk> _logger;

    public TicketDesk(
        ITicketRepository tickets,
        ITicketAssignment assignment,
        ITakeOvers handoffs,
        IPrivateChats privateChats,
        TimeProvider time,
        IOptions<TicketOptions> options,
        ILogger<TicketDesk> logger,
        TicketClock? clock = null,
        MediaIntake? media = null)
    {
        _tickets = tickets;
        _assignment = assignment;
        _handoffs = handoffs;
        _time = time;
        _options = options.Value;
        _logger = logger;
        _privateChats = privateChats;
        // Without the clocks registered the desk still computes deadlines, but arms no durable timers.
        _clock = clock ?? TicketClock.Detached();
        _media = media;
    }

    public Task<TicketReceipt> FileAsync(GrievanceReport report, DateTimeOffset at, CancellationToken cancellationToken) =>
        FileAsync(report, at, alsoWriteNew: null, cancellationToken);

    /// <summary>
    /// Files the report; when it opens a new ticket, <paramref name="alsoWriteNew"/> records what goes with it in the same
    /// write as the ticket and its card (so what a caller stores beside the ticket cannot be lost without it).
    /// </summary>
    public async Task<TicketReceipt> FileAsync(
        GrievanceReport report, DateTimeOffset at, Action<Ticket, TicketWrite>? alsoWriteNew, CancellationToken cancellationToken)
    {
        if (report.SubmissionKey is { } submission && await _tickets.FiledBySubmissionAsync(submission, cancellationToken) is { } filed)
        {
            return Refiled(filed);
        }

        var reporter = ToReporter(report);
        var utc = at.UtcDateTime;
        var contactChat = ContactChatOf(report);
        if (_options.DuplicateWindow > TimeSpan.Zero && (report.Building ?? report.Landmark) is not null
            && await FindDuplicateAsync(report, utc - _options.DuplicateWindow, cancellationToken) is { } open)
        {
            if (open.ReporterKeys.Contains(reporter.Key))
            {
                // The same resident again: nothing new to add, and no write.
                return new TicketReceipt(open.Number, open.AssigneeName, _clock.PromisedResponse(open.Category), JoinedExisting: true, open.Supporters.Count + 1, AlreadyReported: true);
            }

            // The joiner's photos are evidence too: kept on the ticket like a report's, and on their join event (whose they are).
            var joinPhotos = TakePhotos(report.Photos.Select(p => p.Url), report.Reporter, MediaPurpose.Report, at);
            var added = false;
            var joined = await _tickets.UpdateAsync(open.Number, (t, _) =>
            {
                if (t.ReporterKeys.Contains(reporter.Key))
                {
                    return true; // joined meanwhile by a concurrent report of theirs
                }

                t.Supporters.Add(reporter);
                t.ReporterKeys.Add(reporter.Key);
                t.Photos.AddRange(joinPhotos.Refs.Except(t.Photos, StringComparer.Ordinal));
                t.Events.Add(new TicketEvent
                {
                    At = utc, Actor = "resident:" + reporter.Key, Kind = TicketEventKind.Supported, Note = report.Description, Photos = joinPhotos.Refs,
                });
                added = true;
                return true;
            }, (t, write) =>
            {
                // The handler hears of each resident who joins, in the same write as the join; their photos follow once fetched.
                if (!added)
                {
                    return;
                }

                if (_assignment.PrivateAddressOf(t.AssigneeId, Origin(t)) is { } worker)
                {
                    write.Send([Tell(worker, new TicketFact.SupporterJoined(t.Number, reporter.UserName, reporter.Phone, t.Supporters.Count + 1, report.Description))]);
                }

                AskContact(contactChat, write);
                write.Keep(joinPhotos.Batch);
            }, cancellationToken);
            if (joined is not null)
            {
                LogJoined(joined.Number, joined.Supporters.Count + 1);
                return new TicketReceipt(joined.Number, joined.AssigneeName, _clock.PromisedResponse(joined.Category), JoinedExisting: true, joined.Supporters.Count + 1);
            }
        }

        var photos = TakePhotos(report.Photos.Select(p => p.Url), report.Reporter, MediaPurpose.Report, at);
        var assignment = _assignment.Assign(report.CompoundId, report.Building, report.Category, at);
        var ticket = new Ticket
        {
            Category = report.Category,
            Description = report.Description,
            CompoundId = report.CompoundId,
            CompoundName = report.CompoundName,
            Building = report.Building,
            Unit = report.Unit,
            Room = report.Room,
            Landmark = report.Landmark,
            When = report.When,
            Photos = photos.Refs,
            Reporter = reporter,
            ReporterKeys = [reporter.Key],
            SubmissionKey = report.SubmissionKey,
            GridId = assignment.GridId,
            AssigneeId = assignment.WorkerId,
            AssigneeName = assignment.WorkerName,
            CoHandlers = assignment.CoHandlers.ToList(),
            Level = assignment.Level,
            Status = TicketStatus.Pending,
            CreatedAt = utc,
            SignBy = _clock.Due(ClockKind.Sign, report.Category, utc),
            CloseBy = _clock.Due(ClockKind.Close, report.Category, utc),
            Events =
            [
                new TicketEvent { At = utc, Actor = "resident:" + reporter.Key, Kind = TicketEventKind.Created, Note = report.Description },
                new TicketEvent { At = utc, Actor = "system", Kind = TicketEventKind.Assigned, Note = assignment.Reason },
            ],
        };
        var creation = await _tickets.CreateAsync(ticket, at.ToOffset(_options.UtcOffset), (t, write) =>
        {
            _clock.Start(t, utc, write);
            write.Send(WorkerCard(t, t.AssigneeId, new CardReason.NewTicket()));
            AskContact(contactChat, write);
            write.Keep(photos.Batch);
            alsoWriteNew?.Invoke(t, write);
        }, cancellationToken);
        if (!creation.Opened)
        {
            // Filed meanwhile by a redelivery of the same submission (on this instance or another).
            return Refiled(creation.Ticket);
        }

        ticket = creation.Ticket;
        LogOpened(ticket.Number, ticket.Category, ticket.AssigneeId);
        return new TicketReceipt(ticket.Number, ticket.AssigneeName, _clock.PromisedResponse(ticket.Category), JoinedExisting: false, Supporters: 1);
    }

    private TicketReceipt Refiled(Ticket filed)
    {
        LogRefiled(filed.Number);
        return new TicketReceipt(filed.Number, filed.AssigneeName, _clock.PromisedResponse(filed.Category), JoinedExisting: false, filed.Supporters.Count + 1);
    }

    /// <summary>
    /// The open ticket at the same place (compound and building or landmark) within the window that records the same
    /// problem (<see cref="DuplicateMatcher"/>), the newest first; null when there is none.
    /// </summary>
    private async Task<Ticket?> FindDuplicateAsync(GrievanceReport report, DateTime since, CancellationToken cancellationToken)
    {
        var compound = report.CompoundId ?? report.CompoundName;
        var place = report.Building ?? report.Landmark;
        return (await _tickets.OpenSinceAsync(since, cancellationToken))
            .Where(t => (t.CompoundId ?? t.CompoundName) == compound && (t.Building ?? t.Landmark) == place)
            .FirstOrDefault(t => DuplicateMatcher.IsSameProblem(t, report.Category, report.Description, [report.CompoundName, t.CompoundName, report.Landmark]));
    }

    /// <summary>Filed in a group without a phone: the resident's private chat, where one is asked for (null: not asked).</summary>
    private ConversationReference? ContactChatOf(GrievanceReport report) =>
        _options.AskContactPrivately && report.Reporter.IsGroup && report.Phone is null ? _privateChats.With(report.Reporter) : null;

    /// <summary>Requests the turn that asks for the phone, in the write that files (or joins) the ticket.</summary>
    private void AskContact(ConversationReference? privateChat, TicketWrite write)
    {
        if (privateChat is not null)
        {
            write.Ask([Prompt(privateChat, TicketPrompt.ContactEvent, new TicketPrompt(write.TicketNumber).ToJson())]);
        }
    }

    private ProactiveTurn Prompt(ConversationReference to, string name, string valueJson) =>
        ProactiveTurn.For(to, name, valueJson, _time.GetUtcNow().UtcDateTime);

    public async Task<ContactRecorded> RecordContactAsync(ContactResult contact, ConversationReference resident, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (contact.Phone is null)
        {
            return new ContactRecorded(ContactOutcome.Skipped);
        }

        var key = TicketReporter.KeyOf(resident.Channel, resident.UserId);
        var updated = await _tickets.UpdateAsync(contact.TicketNumber, (t, _) =>
        {
            var reporter = t.Reporter.Key == key ? t.Reporter : t.Supporters.FirstOrDefault(s => s.Key == key);
            if (reporter is null)
            {
                return false;
            }

            reporter.Phone = contact.Phone;
            reporter.MaskedPhone = PersonalData.MaskPhone(contact.Phone);
            if (reporter == t.Reporter && contact.Room is not null)
            {
                t.Room ??= contact.Room;
                t.Unit ??= contact.Unit;
            }

            t.Events.Add(new TicketEvent { At = at.UtcDateTime, Actor = "resident:" + key, Kind = TicketEventKind.ContactAdded });
            return true;
        }, (t, write) =>
        {
            if (_assignment.PrivateAddressOf(t.AssigneeId, Origin(t)) is { } worker)
            {
                write.Send([Tell(worker, new TicketFact.ContactLeft(t.Number, resident.UserName, contact.Phone, contact.Unit, contact.Room))]);
            }
        }, cancellationToken);
        return updated is null
            ? new ContactRecorded(ContactOutcome.TicketNotFound)
            : new ContactRecorded(ContactOutcome.Recorded, contact.Phone);
    }

    public async Task<IReadOnlyList<TicketSummary>> MineAsync(string channel, string userId, CancellationToken cancellationToken)
    {
        return (await _tickets.ReportedByAsync(TicketReporter.KeyOf(channel, userId), cancellationToken))
            .Select(t => new TicketSummary(
                t.Number, t.Category, t.PublicLocation, TicketStatusRules.Chinese(t.Status),
                new DateTimeOffset(DateTime.SpecifyKind(t.CreatedAt, DateTimeKind.Utc)).ToOffset(_options.UtcOffset), t.AssigneeName,
                Open311.ServiceRequestMapper.LastWorkerNote(t), t.Room))
            .ToList();
    }

    public async Task<WorkerActionResult> ActAsync(WorkerActionRequest request, CancellationToken cancellationToken)
    {
        var ticket = await _tickets.FindAsync(request.TicketNumber, cancellationToken);
        if (ticket is null)
        {
            return new WorkerActionResult(WorkerActionOutcome.TicketNotFound, request.TicketNumber);
        }

        var worker = _assignment.FindWorker(request.Actor.Channel, request.Actor.UserId);
        if (worker is null || !MayAct(worker, ticket))
        {
            LogDenied(request.TicketNumber, request.Action.ToString());
            return new WorkerActionResult(WorkerActionOutcome.NotPermitted, request.TicketNumber);
        }

        var needsNote = request.Action is WorkerAction.Reply or WorkerAction.Close or WorkerAction.Return or WorkerAction.Transfer or WorkerAction.CoHandle;
        // 办结 with a photo needs no typed note: the photo says it.
        var closingPhotos = request.Action == WorkerAction.Close ? WebPhotos(request.Photos) : [];
        if (needsNote && string.IsNullOrWhiteSpace(request.Note) && closingPhotos.Count == 0)
        {
            return new WorkerActionResult(WorkerActionOutcome.NeedsNote, request.TicketNumber);
        }

        return request.Action switch
        {
            WorkerAction.Sign => await SignAsync(ticket, worker, request, cancellationToken),
            WorkerAction.Reply => await ReplyAsync(ticket, worker, request, cancellationToken),
            WorkerAction.Close => await CloseAsync(ticket, worker, request, closingPhotos, cancellationToken),
            WorkerAction.Return => await ReturnAsync(ticket, worker, request, cancellationToken),
            WorkerAction.Transfer => await TransferAsync(ticket, worker, request, cancellationToken),
            WorkerAction.CoHandle => await CoHandleAsync(ticket, worker, request, cancellationToken),
            WorkerAction.TakeOver => await TakeOverAsync(ticket, worker, request, cancellationToken),
            WorkerAction.EndTakeOver => await EndTakeOverAsync(ticket, request, cancellationToken),
            _ => new WorkerActionResult(WorkerActionOutcome.UnknownAction, request.TicketNumber),
        };
    }

    public async Task<FeedbackRecorded> RecordFeedbackAsync(
        string ticketNumber, ConversationReference resident, bool fixedIt, bool satisfied, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var key = TicketReporter.KeyOf(resident.Channel, resident.UserId);
        var reopen = !fixedIt || !satisfied;
        var note = $"解决：{(fixedIt ? "是" : "否")}；满意：{(satisfied ? "是" : "否")}";
        var updated = await _tickets.UpdateAsync(ticketNumber, (t, write) =>
        {
            if (!t.ReporterKeys.Contains(key) || t.Status != TicketStatus.Resolved)
            {
                return false;
            }

            Apply(t, new TicketEvent { At = at.UtcDateTime, Actor = "resident:" + key, Kind = reopen ? TicketEventKind.Reopened : TicketEventKind.Confirmed, Note = note }, write);
            return true;
        }, (t, write) =>
        {
            if (reopen)
            {
                write.Send(WorkerCard(t, t.AssigneeId, new CardReason.Reopened(fixedIt, satisfied)));
            }
        }, cancellationToken);
        if (updated is null)
        {
            return new FeedbackRecorded(FeedbackOutcome.NotRecorded, ticketNumber, fixedIt, satisfied);
        }

        if (reopen)
        {
            LogReopened(updated.Number);
        }

        return new FeedbackRecorded(reopen ? FeedbackOutcome.Reopened : FeedbackOutcome.Confirmed, updated.Number, fixedIt, satisfied);
    }

    private static bool MayAct(WorkerIdentity worker, Ticket ticket) =>
        worker.Id == ticket.AssigneeId || ticket.CoHandlers.Contains(worker.Id) || worker.Level > ticket.Level;

    private async Task<WorkerActionResult> SignAsync(Ticket ticket, WorkerIdentity worker, WorkerActionRequest request, CancellationToken cancellationToken)
    {
        var updated = await _tickets.UpdateAsync(ticket.Number, (t, write) =>
        {
            // A returned ticket is signed by whoever it went back to when they handle it themselves.
            if (t.Status is not (TicketStatus.Pending or TicketStatus.Reopened or TicketStatus.Returned))
            {
                return false;
            }

            Apply(t, new TicketEvent { At = request.At.UtcDateTime, Actor = worker.Id, Kind = TicketEventKind.Signed }, write);
            return true;
        }, alsoWrite: null, cancellationToken);
        return updated is null
            ? new WorkerActionResult(WorkerActionOutcome.NotSignable, ticket.Number) { Status = TicketStatusRules.Chinese(ticket.Status) }
            : new WorkerActionResult(WorkerActionOutcome.Signed, ticket.Number) { Deadline = Local(updated.CloseBy) };
    }

    private async Task<WorkerActionResult> ReplyAsync(Ticket ticket, WorkerIdentity worker, WorkerActionRequest request, CancellationToken cancellationToken)
    {
        await _tickets.UpdateAsync(ticket.Number, (t, write) =>
        {
            Apply(t, new TicketEvent { At = request.At.UtcDateTime, Actor = worker.Id, Kind = TicketEventKind.Replied, Note = request.Note }, write);
            return true;
        }, (t, write) =>
            // One message per chat: residents who reported in the same group read the reply there once. In the reply's
            // write, so the timeline and what the residents read cannot part.
            write.Send(Residents(t).DistinctBy(ChatOf).Select(resident =>
                Tell(resident, new TicketFact.WorkerReplied(t.Number, worker.Name, request.Note, t.Room)))),
            cancellationToken);
        return new WorkerActionResult(WorkerActionOutcome.Replied, ticket.Number);
    }

    private async Task<WorkerActionResult> CloseAsync(
        Ticket ticket, WorkerIdentity worker, WorkerActionRequest request, List<string> photos, CancellationToken cancellationToken)
    {
        var kept = TakePhotos(photos, request.Actor, MediaPurpose.Closing, request.At, ClosingWorkerChat(request, worker, ticket));
        var updated = await _tickets.UpdateAsync(ticket.Number, (t, write) =>
        {
            if (!t.IsOpen)
            {
                return false;
            }

            Apply(t, new TicketEvent { At = request.At.UtcDateTime, Actor = worker.Id, Kind = TicketEventKind.Closed, Note = request.Note, Photos = kept.Refs }, write);
            return true;
        }, (t, write) =>
        {
            // Each resident of the ticket is told and asked 解决了吗 in a turn of their own, requested in this write: the
            // close and the survey it owes are kept or lost together. The note is masked for each one's audience. Photos
            // kept as sent go with it; re-hosted ones are recorded here too and follow once fetched (BatchSettled).
            write.Keep(kept.Batch);
            write.Ask(Residents(t).Select(r => Prompt(
                r, TicketPrompt.FeedbackEvent, new TicketPrompt(t.Number, TicketMessages.ForAudience(r, request.Note, t.Room), kept.SentWithMessage).ToJson())));
        }, cancellationToken);
        if (updated is null)
        {
            return new WorkerActionResult(WorkerActionOutcome.AlreadyClosed, ticket.Number);
        }

        LogResolved(updated.Number, worker.Id);
        await EndTakeOversOnCloseAsync(updated.Number, request.At, cancellationToken);
        return new WorkerActionResult(WorkerActionOutcome.Closed, updated.Number);
    }

    private async Task<WorkerActionResult> ReturnAsync(Ticket ticket, WorkerIdentity worker, WorkerActionRequest request, CancellationToken cancellationToken)
    {
        var supervisor = _assignment.Supervisor(ticket.GridId, request.At);
        var updated = await _tickets.UpdateAsync(ticket.Number, (t, write) =>
        {
            if (!t.IsOpen)
            {
                return false;
            }

            // The new holder first: the clock re-arms signing for them.
            t.Level = supervisor.Level;
            t.AssigneeId = supervisor.WorkerId;
            t.AssigneeName = supervisor.WorkerName;
            Apply(t, new TicketEvent { At = request.At.UtcDateTime, Actor = worker.Id, Kind = TicketEventKind.Returned, Note = request.Note }, write);
            return true;
        }, (t, write) => write.Send(WorkerCard(t, t.AssigneeId, new CardReason.Returned(worker.Name, request.Note))), cancellationToken);
        return updated is null
            ? new WorkerActionResult(WorkerActionOutcome.ReturnRefused, ticket.Number)
            : new WorkerActionResult(WorkerActionOutcome.Returned, ticket.Number, supervisor.WorkerName);
    }

    private async Task<WorkerActionResult> TransferAsync(Ticket ticket, WorkerIdentity worker, WorkerActionRequest request, CancellationToken cancellationToken)
    {
        if (Target(request) is not { } target)
        {
            return new WorkerActionResult(WorkerActionOutcome.TransferTargetMissing, ticket.Number);
        }

        if (target.Id == ticket.AssigneeId)
        {
            return new WorkerActionResult(WorkerActionOutcome.AlreadyHeldByTarget, ticket.Number, target.Name);
        }

        var updated = await _tickets.UpdateAsync(ticket.Number, (t, write) =>
        {
            if (!t.IsOpen)
            {
                return false;
            }

            Apply(t, new TicketEvent { At = request.At.UtcDateTime, Actor = worker.Id, Kind = TicketEventKind.Transferred, Note = $"转派给{target.Name}：{request.Note}" }, write);
            t.AssigneeId = target.Id;
            t.AssigneeName = target.Name;
            t.Level = target.Level;
            t.SignBy = _clock.Due(ClockKind.Sign, t.Category, request.At.UtcDateTime);
            return true;
        }, (t, write) => write.Send(WorkerCard(t, target.Id, new CardReason.Transferred(worker.Name, request.Note))), cancellationToken);
        return updated is null
            ? new WorkerActionResult(WorkerActionOutcome.TransferRefused, ticket.Number)
            : new WorkerActionResult(WorkerActionOutcome.Transferred, ticket.Number, target.Name);
    }

    private async Task<WorkerActionResult> CoHandleAsync(Ticket ticket, WorkerIdentity worker, WorkerActionRequest request, CancellationToken cancellationToken)
    {
        if (Target(request) is not { } target)
        {
            return new WorkerActionResult(WorkerActionOutcome.CoHandlerMissing, ticket.Number);
        }

        var updated = await _tickets.UpdateAsync(ticket.Number, (t, write) =>
        {
            if (!t.IsOpen || t.AssigneeId == target.Id || t.CoHandlers.Contains(target.Id))
            {
                return false;
            }

            Apply(t, new TicketEvent { At = request.At.UtcDateTime, Actor = worker.Id, Kind = TicketEventKind.CoHandlerAdded, Note = $"联动{target.Name}：{request.Note}" }, write);
            t.CoHandlers.Add(target.Id);
            return true;
        }, (t, write) => write.Send(WorkerCard(t, target.Id, new CardReason.CoHandling(worker.Name, request.Note))), cancellationToken);
        return updated is null
            ? new WorkerActionResult(WorkerActionOutcome.CoHandlingRefused, ticket.Number, target.Name)
            : new WorkerActionResult(WorkerActionOutcome.CoHandlingRequested, ticket.Number, target.Name);
    }

    /// <summary>The receiving worker of 转派/联动: chosen from a list, or named in the note.</summary>
    private WorkerIdentity? Target(WorkerActionRequest request) =>
        request.TargetWorkerId is { Length: > 0 } id ? _assignment.FindWorkerById(id) : _assignment.FindWorkerNamed(request.Note);

    /// <summary>Appends the event, moves the status, and keeps the ticket's clocks in step (in the same write).</summary>
    private void Apply(Ticket ticket, TicketEvent e, TicketWrite write)
    {
        ticket.Events.Add(e);
        ticket.Status = TicketStatusRules.After(ticket.Status, e.Kind);
        _clock.Track(ticket, e, write);
    }

    /// <summary>The card that tells a worker about a ticket, privately; none when the worker cannot be reached.</summary>
    private IEnumerable<OutboxMessage> WorkerCard(Ticket ticket, string workerId, CardReason reason)
    {
        var address = _assignment.PrivateAddressOf(workerId, Origin(ticket));
        if (address is null)
        {
            LogNoAddress(ticket.Number, workerId);
            return [];
        }

        return [Tell(address, new TicketFact.WorkerCardNeeded(Card(ticket), reason))];
    }

    /// <summary>The outbox message that tells <paramref name="audience"/> of <paramref name="fact"/>, in the writer's words.</summary>
    private OutboxMessage Tell(ConversationReference audience, TicketFact fact) => Tell(audience, fact, _time);

    internal static OutboxMessage Tell(ConversationReference audience, TicketFact fact, TimeProvider time) =>
        OutboxMessage.For(audience, TicketMessages.For(fact, audience), time.GetUtcNow().UtcDateTime);

    private TicketCard Card(Ticket ticket) => new(
        ticket.Number, ticket.Category, ticket.PublicLocation, ticket.Room, ticket.Description,
        ticket.Reporter.UserName, ticket.Reporter.Phone, Local(ticket.SignBy), ticket.AssigneeName);

    internal static ConversationReference Origin(Ticket ticket) => ticket.Reporter.Address();

    /// <summary>A conversation reference stored as JSON (tickets, take-overs).</summary>
    internal static ConversationReference ReadReference(string json) =>
        JsonSerializer.Deserialize<ConversationReference>(json, DialogJson.Options)
        ?? throw new InvalidOperationException("A stored conversation reference is empty.");

    /// <summary>The http(s) addresses among <paramref name="urls"/>: no other kind of photo address is kept or sent.</summary>
    private static List<string> WebPhotos(IReadOnlyList<string>? urls) =>
        urls?.Where(OutboundAttachment.IsWebUrl).Distinct(StringComparer.Ordinal).ToList() ?? [];

    /// <summary>The chat a message to <paramref name="resident"/> lands in: a group is one chat whoever in it is addressed.</summary>
    internal static (string Channel, string Conversation, string? User) ChatOf(ConversationReference resident) =>
        (resident.Channel, resident.ConversationId, resident.IsGroup ? null : resident.UserId);

    internal static IEnumerable<ConversationReference> Residents(Ticket ticket) =>
        ticket.Supporters.Prepend(ticket.Reporter).Select(r => r.Address());

    /// <summary>A stored UTC time in the office's time.</summary>
    private DateTimeOffset Local(DateTime utc) => new DateTimeOffset(utc, TimeSpan.Zero).ToOffset(_options.UtcOffset);

    private static TicketReporter ToReporter(GrievanceReport report) => new()
    {
        Channel = report.Reporter.Channel,
        UserId = report.Reporter.UserId,
        UserName = report.Reporter.UserName,
        Conversation = JsonSerializer.Serialize(report.Reporter with { ReplyToId = null }, DialogJson.Options),
        Phone = report.Phone,
        MaskedPhone = report.Phone is null ? null : PersonalData.MaskPhone(report.Phone),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {TicketNumber}: the same submission arrived again; its receipt is given again")]
    private partial void LogRefiled(string ticketNumber);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {TicketNumber} ({Category}) opened and assigned to {WorkerId}")]
    private partial void LogOpened(string ticketNumber, string category, string workerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "A report joined ticket {TicketNumber} ({Reporters} reporters)")]
    private partial void LogJoined(string ticketNumber, int reporters);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {TicketNumber} resolved by {WorkerId}")]
    private partial void LogResolved(string ticketNumber, string workerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {TicketNumber} reopened after the resident's feedback")]
    private partial void LogReopened(string ticketNumber);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Action {Action} on ticket {TicketNumber} refused: not the handler")]
    private partial void LogDenied(string ticketNumber, string action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No private address for worker {WorkerId}; ticket {TicketNumber} waits in the queue")]
    private partial void LogNoAddress(string ticketNumber, string workerId);
}
