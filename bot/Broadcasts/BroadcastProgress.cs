namespace CommunityBot.Broadcasts;

/// <summary>
/// How far a broadcast's deliveries to <see cref="Groups"/> groups have got: delivered messages leave the outbox, so
/// they are the rest.
/// </summary>
public sealed record BroadcastProgress(int Groups, int Delivered, int Pending, int Failed);
