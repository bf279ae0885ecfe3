namespace CommunityBot.Storage.Postgres;

/// <summary>
/// A proactive turn's commit found its request's lease taken over by another instance (it had run out): the commit keeps
/// nothing, and the other instance runs the turn.
/// </summary>
public sealed class ProactiveTurnTakenOverException(string requestId)
    : InvalidOperationException($"Proactive turn {requestId} was claimed by another instance after this one's lease ran out; this turn keeps nothing.")
{
    public string RequestId { get; } = requestId;
}
