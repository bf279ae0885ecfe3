namespace CommunityBot.Notifications;

/// <summary>What waits in the outbox at one moment (health, metrics, the 运行状态 page).</summary>
/// <param name="Pending">Messages not yet delivered (replies and bulk).</param>
/// <param name="PendingReplies">Of those, residents' and workers' replies (not bulk).</param>
/// <param name="OldestReplyAge">How long the oldest undelivered reply has waited since its turn committed; null when none waits.</param>
public sealed record OutboxBacklog(int Pending, int PendingReplies, int Failed, TimeSpan? OldestReplyAge);
