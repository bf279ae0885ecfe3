using CommunityBot.Clocks;
using CommunityBot.Conversation;
using CommunityBot.Media;
using CommunityBot.Notifications;
using CommunityBot.Storage;

namespace CommunityBot.Tickets;

/// <summary>
/// <see cref="ITicketRepository"/> on LiteDB: each write is one <see cref="LiteDbWriter"/> work, in which the ticket and
/// its <see cref="TicketWrite"/> are stored. The stores the write goes to are given one by one, so a caller may send some
/// of them elsewhere (the demo history's desk keeps its messages in a scratch database).
/// </summary>
public sealed class LiteDbTicketRepository(
    TicketStore tickets,
    LiteDbWriter writer,
    Outbox outbox,
    ProactiveTurnStore prompts,
    HandoffStore handoffs,
    TicketTimerStore? timers = null,
    MediaStore? media = null,
    Open311.Open311SubmissionStore? serviceRequests = null) : ITicketRepository
{
    public Task<Ticket?> FindAsync(string number, CancellationToken cancellationToken) => Task.FromResult(tickets.Find(number));

    public Task<Ticket?> FiledBySubmissionAsync(string submissionKey, CancellationToken cancellationToken) =>
        Task.FromResult(tickets.TicketOfSubmission(submissionKey) is { } number ? tickets.Find(number) : null);

    public Task<IReadOnlyList<Ticket>> OpenSinceAsync(DateTime sinceUtc, CancellationToken cancellationToken) =>
        Task.FromResult(tickets.OpenSince(sinceUtc));

    public Task<IReadOnlyList<Ticket>> ReportedByAsync(string reporterKey, CancellationToken cancellationToken) =>
        Task.FromResult(tickets.ReportedBy(reporterKey));

    public Task<IReadOnlyList<string>> TimersDueAsync(DateTime utc, CancellationToken cancellationToken) =>
        Task.FromResult(timers?.DueBy(utc) ?? []);

    public async Task<TicketCreation> CreateAsync(
        Ticket ticket, DateTimeOffset localNow, Action<Ticket, TicketWrite>? alsoWrite, CancellationToken cancellationToken)
    {
        TicketWrite? write = null;
        var creation = await writer.WriteAsync(_ =>
        {
            // On the writer thread, so a submission filed by a write queued before this one is seen here.
            if (ticket.SubmissionKey is { } submission && tickets.TicketOfSubmission(submission) is { } filed
                && tickets.Find(filed) is { } existing)
            {
                return new TicketCreation(existing, Opened: false);
            }

            var created = tickets.CreateInWrite(ticket, localNow);
            write = TicketWrite.ForNew(created.Number);
            alsoWrite?.Invoke(created, write);
            Apply(write);
            return new TicketCreation(created, Opened: true);
        }).ConfigureAwait(false);
        Wake(write);
        return creation;
    }

    public async Task<Ticket?> UpdateAsync(
        string number, Func<Ticket, TicketWrite, bool> change, Action<Ticket, TicketWrite>? alsoWrite, CancellationToken cancellationToken)
    {
        TicketWrite? write = null;
        var updated = await writer.WriteAsync(_ =>
        {
            write = new TicketWrite(number, FindTimer);
            var ticket = tickets.UpdateInWrite(number, t => change(t, write));
            if (ticket is null)
            {
                write = null;
                return null;
            }

            alsoWrite?.Invoke(ticket, write);
            Apply(write);
            return ticket;
        }).ConfigureAwait(false);
        Wake(write);
        return updated;
    }

    public async Task WriteAsync(string number, Action<TicketWrite> write, CancellationToken cancellationToken)
    {
        var recorded = new TicketWrite(number, FindTimer);
        await writer.WriteAsync(_ =>
        {
            write(recorded);
            Apply(recorded);
        }).ConfigureAwait(false);
        Wake(recorded);
    }

    private TicketTimer? FindTimer(string number) => timers?.Find(number);

    // On the writer thread, inside the ticket's write.
    private void Apply(TicketWrite write)
    {
        switch (write.TimerChange)
        {
            case TimerChange.Save:
                Timers.Put(write.Timer!);
                break;
            case TimerChange.Delete:
                Timers.Delete(write.TicketNumber);
                break;
        }

        if (write.Messages.Count > 0)
        {
            outbox.Insert(write.Messages);
        }

        prompts.Insert(write.Prompts);
        if (write.Photos.Count > 0)
        {
            (media ?? throw new InvalidOperationException("Photos are recorded on a ticket, but no media store is configured.")).Insert(write.Photos);
        }

        foreach (var submission in write.ServiceRequests)
        {
            (serviceRequests ?? throw new InvalidOperationException("An Open311 request is recorded, but no Open311 store is configured.")).InsertInWrite(submission);
        }

        foreach (var residentKey in write.HandoffsRemoved)
        {
            handoffs.Remove(residentKey);
        }

        foreach (var handoff in write.HandoffsPut)
        {
            handoffs.Put(handoff);
        }
    }

    private TicketTimerStore Timers => timers ?? throw new InvalidOperationException("A ticket timer is written, but no timer store is configured.");

    // Once committed (the prompts' runner is woken by its store's own after-commit action).
    private void Wake(TicketWrite? write)
    {
        if (write is null)
        {
            return;
        }

        if (write.Messages.Count > 0)
        {
            outbox.Wake();
        }

        if (write.Photos.Count > 0)
        {
            media?.Wake();
        }
    }
}
