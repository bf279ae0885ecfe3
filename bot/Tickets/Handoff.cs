using CommunityBot.Storage;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommunityBot.Tickets;

/// <summary>
/// A worker has taken over (接管) a resident's thread: the assistant stays silent for that resident in that
/// conversation, and messages are relayed both ways until it is handed back.
/// </summary>
public sealed class Handoff
{
    /// <summary>The resident's thread, "{channel}/{conversation}/{user}" (the dialog state key).</summary>
    [BsonId]
    public string ResidentKey { get; set; } = "";

    /// <summary>The worker's private chat, "{channel}/{conversation}/{user}".</summary>
    public string WorkerKey { get; set; } = "";
    public string TicketNumber { get; set; } = "";
    public string WorkerId { get; set; } = "";
    public string WorkerName { get; set; } = "";
    public string ResidentName { get; set; } = "";
    /// <summary>Where to reach the resident and the worker (ConversationReference as JSON).</summary>
    public string ResidentAddress { get; set; } = "";
    public string WorkerAddress { get; set; } = "";
    public DateTime StartedAt { get; set; }
    /// <summary>Last message either way; the thread goes back to the assistant after the idle timeout.</summary>
    public DateTime LastActivityAt { get; set; }
    /// <summary>Set when the resident wrote and the worker has not answered yet.</summary>
    public DateTime? ResidentWaitingSince { get; set; }
    /// <summary>The next level was told that nobody answered (once per wait).</summary>
    public bool Escalated { get; set; }

    /// <summary>A copy to change without touching what other readers hold (every field is a value or a string).</summary>
    public Handoff Copy() => (Handoff)MemberwiseClone();
}

/// <summary>
/// The live take-overs, by resident thread and by worker chat. Every resident's turn asks whether their thread is taken
/// over, so the take-overs (few at any time) are also held in memory (<see cref="CommittedSnapshot{T}"/>) and read from
/// there outside a write; each caller gets its own copy to change and <see cref="Put"/>.
/// </summary>
public sealed class HandoffStore : ITakeOvers
{
    private readonly ILiteCollection<Handoff> _handoffs;
    private readonly LiteDbWriter _writer;
    private readonly CommittedSnapshot<Dictionary<string, Handoff>> _live;

    public HandoffStore(ILiteDatabase database, LiteDbWriter writer, ILogger<HandoffStore>? logger = null)
    {
        _writer = writer;
        _handoffs = LiteDbCollections.Open<Handoff>(database, "handoffs");
        LiteDbIndexes.Ensure(database, _handoffs, logger ?? NullLogger<HandoffStore>.Instance,
            ("WorkerKey", "$.WorkerKey"),
            ("TicketNumber", "$.TicketNumber"));
        _live = new(() => CommittedSnapshot.ById(_handoffs.FindAll(), h => h.ResidentKey));
    }

    public Handoff? ForResident(string residentKey) => _writer.OnWriterThread
        ? _handoffs.FindById(residentKey)
        : _live.Get().GetValueOrDefault(residentKey)?.Copy();

    /// <summary>The worker's most recently active take-over from this chat, if any.</summary>
    public Handoff? ForWorker(string workerKey) =>
        Where(h => h.WorkerKey == workerKey).OrderByDescending(h => h.LastActivityAt).FirstOrDefault();

    /// <summary>Every live take-over by the worker (from any chat or the console).</summary>
    public IReadOnlyList<Handoff> ForWorkerId(string workerId) => Where(h => h.WorkerId == workerId);

    public IReadOnlyList<Handoff> ForTicket(string ticketNumber) => Where(h => h.TicketNumber == ticketNumber);

    public IReadOnlyList<Handoff> All() => Where(_ => true);

    public Task<Handoff?> ForResidentAsync(string residentKey, CancellationToken cancellationToken) => Task.FromResult(ForResident(residentKey));

    public Task<Handoff?> ForWorkerAsync(string workerKey, CancellationToken cancellationToken) => Task.FromResult(ForWorker(workerKey));

    public Task<IReadOnlyList<Handoff>> ForWorkerIdAsync(string workerId, CancellationToken cancellationToken) => Task.FromResult(ForWorkerId(workerId));

    public Task<IReadOnlyList<Handoff>> ForTicketAsync(string ticketNumber, CancellationToken cancellationToken) => Task.FromResult(ForTicket(ticketNumber));

    public Task<IReadOnlyList<Handoff>> AllAsync(CancellationToken cancellationToken) => Task.FromResult(All());

    /// <summary>Stores the take-over; call inside a <see cref="LiteDbWriter"/> write.</summary>
    public void Put(Handoff handoff)
    {
        _handoffs.Upsert(handoff);
        _writer.AfterCommit(_live.Invalidate);
    }

    /// <summary>Removes the take-over; call inside a <see cref="LiteDbWriter"/> write.</summary>
    public bool Remove(string residentKey)
    {
        var removed = _handoffs.Delete(residentKey);
        _writer.AfterCommit(_live.Invalidate);
        return removed;
    }

    private List<Handoff> Where(Func<Handoff, bool> predicate) => _writer.OnWriterThread
        ? _handoffs.FindAll().Where(predicate).ToList()
        : _live.Get().Values.Where(predicate).Select(h => h.Copy()).ToList();
}
