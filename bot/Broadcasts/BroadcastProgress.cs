namespace CommunityBot.Broadcasts;

/// <summary>How far a broadcast's deliveries have got: delivered messages leave the outbox, so they are the rest.</summary>
public sealed record BroadcastProgress(int Delivered, int Pending, int Failed);
