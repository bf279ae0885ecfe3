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
}

/// <summary>The live take-overs, by resident thread and by worker chat.</summary>
public sealed class HandoffStore
{
    private readonly ILiteCollection<Handoff> _handoffs;

    public HandoffStore(ILiteDatabase database, ILogger<HandoffStore>? logger = null)
    {
        _handoffs = LiteDbCollections.Open<Handoff>(database, "handoffs");
        LiteDbIndexes.Ensure(database, _handoffs, logger ?? NullLogger<HandoffStore>.Instance,
            ("WorkerKey", "$.WorkerKey"),
            ("TicketNumber", "$.TicketNumber"));
    }

    public Handoff? ForResident(string residentKey) => _handoffs.FindById(residentKey);

    /// <summary>The worker's most recently active take-over from this chat, if any.</summary>
    public Handoff? ForWorker(string workerKey) =>
        _handoffs.Find(h => h.WorkerKey == workerKey).OrderByDescending(h => h.LastActivityAt).FirstOrDefault();

    /// <summary>Every live take-over by the worker (from any chat or the console); there are few, so this reads them all.</summary>
    public IReadOnlyList<Handoff> ForWorkerId(string workerId) => _handoffs.Find(h => h.WorkerId == workerId).ToList();

    public IReadOnlyList<Handoff> ForTicket(string ticketNumber) => _handoffs.Find(h => h.TicketNumber == ticketNumber).ToList();

    public IReadOnlyList<Handoff> All() => _handoffs.FindAll().ToList();

    /// <summary>Stores the take-over; call inside a <see cref="LiteDbWriter"/> write.</summary>
    public void Put(Handoff handoff) => _handoffs.Upsert(handoff);

    /// <summary>Removes the take-over; call inside a <see cref="LiteDbWriter"/> write.</summary>
    public bool Remove(string residentKey) => _handoffs.Delete(residentKey);
}
