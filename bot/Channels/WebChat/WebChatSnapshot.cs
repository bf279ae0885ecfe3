namespace CommunityBot.Channels.WebChat;

/// <summary>
/// Messages of one conversation after a given sequence number, and the conversation's last sequence number
/// taken at the same instant (so a poller that continues from <see cref="Watermark"/> misses nothing).
/// </summary>
public sealed record WebChatSnapshot(IReadOnlyList<WebChatEntry> Messages, long Watermark);
