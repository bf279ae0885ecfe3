using System.Text.Json;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Engine;
using CommunityBot.Notifications;
using CommunityBot.Storage;
using LiteDB;
using Microsoft.Extensions.Options;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace CommunityBot.Conversation;

/// <summary>
/// The durable requests for proactive turns (<see cref="ProactiveTurn"/>), a small collection of their own: the desk
/// inserts them inside its ticket write (<see cref="Insert"/>), the runner reads what is pending, deletes a request in
/// its turn's commit, and backs a failed one off as the outbox backs off a failed send (<see cref="OutboxOptions"/>).
/// </summary>
public sealed class ProactiveTurnStore
{
    private readonly ILiteCollection<ProactiveTurn> _turns;
    private readonly LiteDbWriter _writer;
    private readonly TimeProvider _time;
    private readonly OutboxOptions _options;
    private readonly WorkSignal _signal = new();

    public ProactiveTurnStore(ILiteDatabase database, LiteDbWriter writer, TimeProvider time, IOptions<OutboxOptions> options)
    {
        _writer = writer;
        _time = time;
        _options = options.Value;
        // No secondary index: the collection holds only requests not yet run, a handful at a time.
        _turns = LiteDbCollections.Open<ProactiveTurn>(database, "proactive_turns");
    }

    /// <summary>Builds (does not store) a request for a turn <paramref name="name"/> in <paramref name="to"/>'s conversation.</summary>
    public ProactiveTurn Create(ConversationReference to, string name, string valueJson) =>
        ProactiveTurn.For(to, name, valueJson, _time.GetUtcNow().UtcDateTime);

    /// <summary>Stores requests inside the caller's write; the runner is woken once that write commits.</summary>
    public void Insert(IEnumerable<ProactiveTurn> turns)
    {
        var list = turns as IReadOnlyCollection<ProactiveTurn> ?? turns.ToList();
        if (list.Count == 0)
        {
            return;
        }

        _turns.InsertBulk(list);
        _writer.AfterCommit(Wake);
    }

    /// <summary>Every pending request, oldest first, its times in UTC.</summary>
    public IReadOnlyList<ProactiveTurn> Pending() =>
        _turns.Query().Where(t => t.Status == ProactiveTurnStatus.Pending).OrderBy(t => t.Id).ToList().Select(InUtc).ToList();

    public IReadOnlyList<ProactiveTurn> All() => _turns.FindAll().Select(InUtc).ToList();

    /// <summary>Deletes the request inside the caller's write (its turn's commit).</summary>
    public void DeleteInWrite(ObjectId id) => _turns.Delete(id);

    /// <summary>Deletes a request whose turn was already committed (a redelivery the dedupe turned away).</summary>
    public Task DeleteAsync(ObjectId id) => _writer.WriteAsync(_ => _turns.Delete(id));

    /// <summary>Counts a failed run: retried later with back-off, or failed once <see cref="OutboxOptions.MaxAttempts"/> are used.</summary>
    public Task MarkFailedAttemptAsync(ProactiveTurn turn, string error)
    {
        turn.Attempts++;
        turn.LastError = error;
        var now = _time.GetUtcNow().UtcDateTime;
        if (turn.Attempts >= _options.MaxAttempts)
        {
            turn.Status = ProactiveTurnStatus.Failed;
            turn.FailedAt = now;
        }
        else
        {
            turn.DueAt = now + TimeSpan.FromTicks(Math.Min(
                _options.FirstRetryDelay.Ticks * (1L << Math.Min(turn.Attempts - 1, 20)),
                _options.MaxRetryDelay.Ticks));
        }

        // Update, not upsert: a request deleted meanwhile (its turn committed after all) stays deleted.
        return _writer.WriteAsync(_ => _turns.Update(turn));
    }

    /// <summary>Purges requests given up on before <paramref name="cutoff"/> (the hourly cleanup); returns how many.</summary>
    public int DeleteFailedBefore(DateTimeOffset cutoff)
    {
        var utc = cutoff.UtcDateTime;
        return _turns.DeleteMany(t => t.Status == ProactiveTurnStatus.Failed && t.FailedAt < utc);
    }

    /// <summary>Tells the runner there is something new to run.</summary>
    public void Wake() => _signal.Wake();

    /// <summary>Waits until <see cref="Wake"/> is called or <paramref name="timeout"/> passes on the injected clock.</summary>
    internal Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, _time, cancellationToken);

    // LiteDB stores UTC and reads times back as local: compared with the clock's UTC they would be off by the server's
    // offset from UTC (eight hours in Beijing).
    private static ProactiveTurn InUtc(ProactiveTurn turn)
    {
        turn.CreatedAt = turn.CreatedAt.ToUniversalTime();
        turn.DueAt = turn.DueAt.ToUniversalTime();
        turn.FailedAt = turn.FailedAt?.ToUniversalTime();
        return turn;
    }

    internal static ConversationReference ReadReference(string json) =>
        JsonSerializer.Deserialize<ConversationReference>(json, DialogJson.Options)
        ?? throw new JsonException("A proactive turn's conversation reference is empty.");
}
