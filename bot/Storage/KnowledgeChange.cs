namespace CommunityBot.Storage;

/// <summary>
/// One change to the knowledge as an instance learnt of it: the topic, and what the notification named (<c>faq:a-12</c>,
/// <c>notices:7</c>, <c>directory</c>), or null when every topic was dropped at once (listening started or restarted).
/// </summary>
public sealed record KnowledgeChange(KnowledgeTopic Topic, string? Payload);
